/* elf.c — validates and iterates ELF64 executables; never reads outside the image. */
#include <elf.h>
#include <string.h>

#define EI_NIDENT   16
#define ELFCLASS64  2
#define ELFDATA2LSB 1
#define ET_EXEC     2
#define PT_LOAD     1

struct ehdr {
    uint8_t ident[EI_NIDENT];
    uint16_t type, machine;
    uint32_t version;
    uint64_t entry, phoff, shoff;
    uint32_t flags;
    uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct phdr {
    uint32_t type, flags;
    uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

_Static_assert(sizeof(struct ehdr) == 64, "ELF64 header");
_Static_assert(sizeof(struct phdr) == 56, "ELF64 program header");

static struct phdr read_phdr(const struct elf_image *img, unsigned i)
{
    struct phdr ph;
    memcpy(&ph, img->base + img->phoff + (uint64_t)i * sizeof ph, sizeof ph);
    return ph;
}

static err_t fail(struct elf_image *img, err_t err, const char *why)
{
    img->why = why;
    return err;
}

err_t elf_open(struct elf_image *img, const void *data, size_t size, uint16_t machine)
{
    struct ehdr eh;
    img->base = data;
    img->size = size;
    img->why = NULL;
    if (data == NULL || size < 4 || memcmp(data, "\177ELF", 4) != 0)
        return fail(img, ERR_BADMAGIC, "not an ELF file");
    if (size < sizeof eh)
        return fail(img, ERR_TRUNCATED, "ELF header cut short");
    memcpy(&eh, data, sizeof eh);
    if (eh.ident[4] != ELFCLASS64 || eh.ident[5] != ELFDATA2LSB)
        return fail(img, ERR_INVAL, "not a little-endian ELF64 file");
    if (eh.machine != machine)
        return fail(img, ERR_INVAL, "built for another machine");
    if (eh.type != ET_EXEC)
        return fail(img, ERR_INVAL, "not an executable");
    if (eh.phentsize != sizeof(struct phdr))
        return fail(img, ERR_INVAL, "unexpected program header size");
    if (eh.phoff > size || (uint64_t)eh.phnum * sizeof(struct phdr) > size - eh.phoff)
        return fail(img, ERR_RANGE, "program headers outside the file");
    img->entry = eh.entry;
    img->phnum = eh.phnum;
    img->phoff = eh.phoff;

    unsigned loads = 0;
    for (unsigned i = 0; i < eh.phnum; i++) {
        struct phdr ph = read_phdr(img, i);
        if (ph.type != PT_LOAD)
            continue;
        loads++;
        if (ph.filesz > ph.memsz)
            return fail(img, ERR_INVAL, "segment with filesz > memsz");
        if (ph.vaddr + ph.memsz < ph.vaddr)
            return fail(img, ERR_INVAL, "segment wraps around the address space");
        if (ph.offset > size || ph.filesz > size - ph.offset)
            return fail(img, ERR_RANGE, "segment data outside the file");
    }
    if (loads == 0)
        return fail(img, ERR_INVAL, "no loadable segment");
    return OK;
}

err_t elf_load_segment(const struct elf_image *img, unsigned index, struct elf_segment *seg)
{
    unsigned seen = 0;
    for (unsigned i = 0; i < img->phnum; i++) {
        struct phdr ph = read_phdr(img, i);
        if (ph.type != PT_LOAD)
            continue;
        if (seen++ != index)
            continue;
        /* Checked again: an image in shared memory may have changed since elf_open. */
        if (ph.filesz > ph.memsz || ph.offset > img->size || ph.filesz > img->size - ph.offset)
            return ERR_RANGE;
        seg->vaddr = ph.vaddr;
        seg->memsz = ph.memsz;
        seg->data = img->base + ph.offset;
        seg->filesz = ph.filesz;
        seg->flags = ph.flags;
        return OK;
    }
    return ERR_END;
}
