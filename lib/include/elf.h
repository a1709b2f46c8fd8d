/* elf.h — reads ELF64 executables (the boot modules) in place. elf_open checks
 * the header and every program header against the file's size before anything
 * uses them, so a corrupt module is refused with a precise error. */
#ifndef ELF_H
#define ELF_H

#include <err.h>
#include <stddef.h>
#include <stdint.h>

#define ELF_MACHINE_X86_64 62
#define ELF_MACHINE_RISCV  243

#define ELF_PF_X 1
#define ELF_PF_W 2
#define ELF_PF_R 4

struct elf_image {
    const uint8_t *base;
    size_t size;
    uint64_t entry;
    uint16_t phnum;
    uint64_t phoff;
    const char *why; /* what elf_open found wrong, for messages */
};

struct elf_segment {
    uint64_t vaddr;
    uint64_t memsz;
    const uint8_t *data; /* filesz bytes inside the image */
    uint64_t filesz;
    uint32_t flags; /* ELF_PF_* */
};

/* Checks an executable for the given machine. ERR_BADMAGIC, ERR_INVAL (wrong
 * class, machine or type; a segment with filesz > memsz or wrapping around),
 * ERR_TRUNCATED or ERR_RANGE (a table or segment outside the file). */
MUST_CHECK err_t elf_open(struct elf_image *img, const void *data, size_t size, uint16_t machine);

/* The index-th PT_LOAD segment; ERR_END after the last. */
MUST_CHECK err_t elf_load_segment(const struct elf_image *img, unsigned index,
                                  struct elf_segment *seg);

#endif
