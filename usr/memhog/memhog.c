/* memhog MiB [SEED] — allocates MiB mebibytes with malloc in varied sizes
 * (4 KiB to 1 MiB, chosen by SEED), writes a pattern into every page of every
 * block, checks it, frees everything and exits 0. With ~MiB it picks the
 * amount too, up to MiB (from SEED). If malloc returns NULL it
 * says how far it got, frees what it had and exits 1: running out of memory
 * is an answer, never a crash. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define PAGE 4096u

struct block {
    uint8_t *p;
    size_t bytes;
};

static unsigned next_rand(unsigned *s)
{
    *s = *s * 1103515245u + 12345u;
    return (*s >> 8) & 0xffffff;
}

static void fill(const struct block *b, unsigned tag)
{
    for (size_t off = 0; off < b->bytes; off += PAGE)
        b->p[off] = (uint8_t)(tag + off / PAGE);
    b->p[b->bytes - 1] = (uint8_t)~tag;
}

static int check(const struct block *b, unsigned tag)
{
    for (size_t off = 0; off < b->bytes; off += PAGE) {
        if (b->p[off] != (uint8_t)(tag + off / PAGE))
            return 0;
    }
    return b->p[b->bytes - 1] == (uint8_t)~tag;
}

static void release(struct block *blocks, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(blocks[i].p);
    free(blocks);
}

int main(int argc, char **argv)
{
    bool pick = argc > 1 && argv[1][0] == '~';
    int mib = argc > 1 ? atoi(argv[1] + pick) : 0;
    if (mib <= 0) {
        printf("usage: memhog [~]MiB [SEED]\n");
        return 2;
    }
    unsigned seed = argc > 2 ? (unsigned)atoi(argv[2]) : 1;
    uint64_t want = (uint64_t)mib << 20, got = 0;
    if (pick)
        want = PAGE * (1 + next_rand(&seed) % (want / PAGE));
    size_t n = 0, cap = 0;
    struct block *blocks = NULL;
    while (got < want) {
        if (n == cap) {
            size_t more = cap ? 2 * cap : 256;
            struct block *grown = realloc(blocks, more * sizeof *blocks);
            if (grown == NULL)
                break;
            blocks = grown;
            cap = more;
        }
        size_t bytes = PAGE * (1 + next_rand(&seed) % 256);
        if (bytes > want - got)
            bytes = (size_t)(want - got);
        uint8_t *p = malloc(bytes);
        if (p == NULL)
            break;
        blocks[n] = (struct block){p, bytes};
        fill(&blocks[n], (unsigned)n);
        n++;
        got += bytes;
    }
    if (got < want) {
        printf("memhog: malloc returned NULL after %lu KiB of %lu KiB in %lu blocks\n",
               (unsigned long)(got >> 10), (unsigned long)(want >> 10), (unsigned long)n);
        release(blocks, n);
        return 1;
    }
    for (size_t i = 0; i < n; i++) {
        if (!check(&blocks[i], (unsigned)i)) {
            printf("memhog: block %lu of %lu bytes lost its pattern\n", (unsigned long)i,
                   (unsigned long)blocks[i].bytes);
            return 3;
        }
    }
    release(blocks, n);
    printf("memhog: %lu KiB in %lu blocks written, checked and freed\n", (unsigned long)(got >> 10),
           (unsigned long)n);
    return 0;
}
