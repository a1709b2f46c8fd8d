/* mem.h — this core's physical frame allocator. Each CPU driver allocates only
 * from the RAM it was given at start (struct core_boot's mem range). */
#ifndef MEM_H
#define MEM_H

#include "kernel.h"

void mem_init(paddr_t base, paddr_t end);
/* One zeroed 4 KiB frame, or 0 if none is left. */
paddr_t mem_alloc_frame(void);
void mem_free_frame(paddr_t frame);
/* A page-aligned run of bytes (rounded up to pages), not zeroed, or 0. */
paddr_t mem_alloc_contiguous(uint64_t bytes);
/* Gives back a run from mem_alloc_contiguous. */
void mem_free_contiguous(paddr_t base, uint64_t bytes);
uint64_t mem_free_bytes(void);

#endif
