/* elf_test.c — the ELF reader accepts a well-formed executable and refuses each
 * kind of damage with its own error, without reading outside the image. */
#include <elf.h>
#include <stdlib.h>

#include "test.h"

struct image {
    uint8_t bytes[4096];
};

static void put16(uint8_t *p, uint16_t v) { memcpy(p, &v, 2); }
static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static void put64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }

/* An x86-64 executable with one PT_LOAD of 16 file bytes at 0x400000. */
static void build(struct image *im)
{
    uint8_t *b = im->bytes;
    memset(b, 0, sizeof im->bytes);
    memcpy(b, "\177ELF", 4);
    b[4] = 2; /* ELFCLASS64 */
    b[5] = 1; /* little-endian */
    b[6] = 1;
    put16(b + 16, 2); /* ET_EXEC */
    put16(b + 18, ELF_MACHINE_X86_64);
    put32(b + 20, 1);
    put64(b + 24, 0x400000); /* entry */
    put64(b + 32, 64);       /* phoff */
    put16(b + 52, 64);
    put16(b + 54, 56); /* phentsize */
    put16(b + 56, 1);  /* phnum */
    uint8_t *ph = b + 64;
    put32(ph, 1); /* PT_LOAD */
    put32(ph + 4, ELF_PF_R | ELF_PF_X);
    put64(ph + 8, 256);       /* offset */
    put64(ph + 16, 0x400000); /* vaddr */
    put64(ph + 32, 16);       /* filesz */
    put64(ph + 40, 32);       /* memsz */
    memcpy(b + 256, "0123456789abcdef", 16);
}

static err_t open_size(struct image *im, size_t size, struct elf_image *img)
{
    uint8_t *copy = malloc(size ? size : 1);
    memcpy(copy, im->bytes, size);
    err_t err = elf_open(img, copy, size, ELF_MACHINE_X86_64);
    free(copy);
    return err;
}

TEST(reads_a_good_executable)
{
    struct image im;
    build(&im);
    struct elf_image img;
    struct elf_segment seg;
    CHECK_EQ(elf_open(&img, im.bytes, 272, ELF_MACHINE_X86_64), OK);
    CHECK_EQ(img.entry, 0x400000);
    CHECK_EQ(elf_load_segment(&img, 0, &seg), OK);
    CHECK_EQ(seg.vaddr, 0x400000);
    CHECK_EQ(seg.filesz, 16);
    CHECK_EQ(seg.memsz, 32);
    CHECK(memcmp(seg.data, "0123456789abcdef", 16) == 0);
    CHECK_EQ(seg.flags, ELF_PF_R | ELF_PF_X);
    CHECK_EQ(elf_load_segment(&img, 1, &seg), ERR_END);
}

TEST(not_elf_is_badmagic)
{
    struct image im;
    build(&im);
    im.bytes[1] = 'X';
    struct elf_image img;
    CHECK_EQ(elf_open(&img, im.bytes, 272, ELF_MACHINE_X86_64), ERR_BADMAGIC);
    CHECK_EQ(elf_open(&img, im.bytes, 2, ELF_MACHINE_X86_64), ERR_BADMAGIC);
}

TEST(wrong_machine_class_or_type_is_invalid)
{
    struct image im;
    struct elf_image img;
    build(&im);
    CHECK_EQ(elf_open(&img, im.bytes, 272, ELF_MACHINE_RISCV), ERR_INVAL);
    build(&im);
    im.bytes[4] = 1; /* ELFCLASS32 */
    CHECK_EQ(elf_open(&img, im.bytes, 272, ELF_MACHINE_X86_64), ERR_INVAL);
    build(&im);
    put16(im.bytes + 16, 3); /* ET_DYN */
    CHECK_EQ(elf_open(&img, im.bytes, 272, ELF_MACHINE_X86_64), ERR_INVAL);
}

TEST(every_truncation_is_refused_without_overread)
{
    struct image im;
    build(&im);
    for (size_t size = 0; size < 272; size++) {
        struct elf_image img;
        CHECK(open_size(&im, size, &img) != OK);
    }
}

TEST(segment_outside_the_file_is_range)
{
    struct image im;
    struct elf_image img;
    build(&im);
    put64(im.bytes + 64 + 8, 0xfffffffffffffff0ull); /* offset */
    CHECK_EQ(elf_open(&img, im.bytes, 272, ELF_MACHINE_X86_64), ERR_RANGE);
    build(&im);
    put64(im.bytes + 64 + 32, 4096); /* filesz */
    put64(im.bytes + 64 + 40, 4096);
    CHECK_EQ(elf_open(&img, im.bytes, 272, ELF_MACHINE_X86_64), ERR_RANGE);
}

TEST(program_headers_outside_the_file_are_range)
{
    struct image im;
    struct elf_image img;
    build(&im);
    put16(im.bytes + 56, 60000); /* phnum */
    CHECK_EQ(elf_open(&img, im.bytes, 272, ELF_MACHINE_X86_64), ERR_RANGE);
    build(&im);
    put64(im.bytes + 32, 0xffffffffffffff00ull); /* phoff */
    CHECK_EQ(elf_open(&img, im.bytes, 272, ELF_MACHINE_X86_64), ERR_RANGE);
}

TEST(filesz_above_memsz_and_wrapping_segments_are_invalid)
{
    struct image im;
    struct elf_image img;
    build(&im);
    put64(im.bytes + 64 + 40, 8); /* memsz < filesz */
    CHECK_EQ(elf_open(&img, im.bytes, 272, ELF_MACHINE_X86_64), ERR_INVAL);
    build(&im);
    put64(im.bytes + 64 + 16, 0xfffffffffffffff8ull); /* vaddr + memsz wraps */
    CHECK_EQ(elf_open(&img, im.bytes, 272, ELF_MACHINE_X86_64), ERR_INVAL);
    CHECK(img.why != NULL);
}

TEST(no_loadable_segment_is_invalid)
{
    struct image im;
    struct elf_image img;
    build(&im);
    put32(im.bytes + 64, 4); /* PT_NOTE */
    CHECK_EQ(elf_open(&img, im.bytes, 272, ELF_MACHINE_X86_64), ERR_INVAL);
}
