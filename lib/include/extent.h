/* extent.h — a first-fit allocator of page runs that merges what is freed
 * with its neighbours. The list of free runs lives in the free memory itself
 * (each run's first 16 bytes: its size and the next run), sorted by address,
 * so it needs no table and has no limit. The CPU driver allocates its frames
 * with it; host tests run it over a buffer. */
#ifndef EXTENT_H
#define EXTENT_H

#include <stdint.h>

#define EXTENT_UNIT 4096u /* bases and sizes are multiples of it */

struct extents {
    uint64_t head;              /* the lowest free run's address; 0: none */
    uint64_t free_bytes;        /* in all runs */
    void *(*at)(uint64_t addr); /* where the allocator may read and write addr */
};

/* Adds [base, base + bytes) to the free runs, merging with neighbours. The
 * range must not be free already. */
void extent_free(struct extents *e, uint64_t base, uint64_t bytes);
/* The lowest run of bytes (rounded up to EXTENT_UNIT), taken; 0 if none. */
uint64_t extent_alloc(struct extents *e, uint64_t bytes);

#endif
