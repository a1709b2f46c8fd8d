/* fuzz_rng.h — the seeded generator of the fuzzers (sysfuzz, msgfuzz): the
 * same seed gives the same run, on every architecture. Not for anything that
 * needs unpredictable numbers. */
#ifndef FUZZ_RNG_H
#define FUZZ_RNG_H

#include <stddef.h>
#include <stdint.h>

struct fuzz_rng {
    uint64_t s;
};

/* splitmix64: any seed, 0 included, gives a good sequence. */
static inline uint64_t fuzz_next(struct fuzz_rng *r)
{
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* A number below n (n > 0). */
static inline uint64_t fuzz_below(struct fuzz_rng *r, uint64_t n) { return fuzz_next(r) % n; }

/* One of the n values of a table. */
#define FUZZ_PICK(r, table) ((table)[fuzz_below((r), sizeof(table) / sizeof(table)[0])])

static inline void fuzz_fill(struct fuzz_rng *r, void *buf, size_t bytes)
{
    uint8_t *b = buf;
    for (size_t i = 0; i < bytes; i++)
        b[i] = (uint8_t)fuzz_next(r);
}

#endif
