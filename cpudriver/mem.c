/* mem.c — frames for this core's CPU driver: first fit over the runs of its
 * free memory, merging what is given back with its neighbours (lib/extent),
 * so a freed run of any size is used again. Per-core by construction (the
 * list's head lives in this core's private data, the list in its free RAM). */
#include <arch.h>
#include <extent.h>
#include <mem.h>
#include <string.h>

_Static_assert(EXTENT_UNIT == PAGE_SIZE, "runs are pages");

static void *window(uint64_t addr) { return arch_phys_to_virt(addr); }

static struct extents free_runs = {.at = window};

void mem_init(paddr_t base, paddr_t end)
{
    base = ALIGN_UP(base, PAGE_SIZE);
    end = ALIGN_DOWN(end, PAGE_SIZE);
    free_runs = (struct extents){.at = window};
    if (end > base)
        extent_free(&free_runs, base, end - base);
}

paddr_t mem_alloc_frame(void)
{
    paddr_t f = extent_alloc(&free_runs, PAGE_SIZE);
    if (f != 0)
        memset(arch_phys_to_virt(f), 0, PAGE_SIZE);
    return f;
}

void mem_free_frame(paddr_t frame)
{
    KASSERT(frame != 0 && (frame & PAGE_MASK) == 0);
    extent_free(&free_runs, frame, PAGE_SIZE);
}

void mem_free_contiguous(paddr_t base, uint64_t bytes) { extent_free(&free_runs, base, bytes); }

paddr_t mem_alloc_contiguous(uint64_t bytes) { return extent_alloc(&free_runs, bytes); }

uint64_t mem_free_bytes(void) { return free_runs.free_bytes; }
