/* mem.c — frames for this core's CPU driver: a bump region, plus a free list of
 * single frames threaded through the freed frames themselves. Per-core by
 * construction (globals live in this core's private data). */
#include <arch.h>
#include <mem.h>
#include <string.h>

static paddr_t bump, limit;
static paddr_t free_list; /* each free frame's first word holds the next */
static uint64_t free_count;

void mem_init(paddr_t base, paddr_t end)
{
    bump = ALIGN_UP(base, PAGE_SIZE);
    limit = ALIGN_DOWN(end, PAGE_SIZE);
    free_list = 0;
    free_count = 0;
}

paddr_t mem_alloc_frame(void)
{
    paddr_t f;
    if (free_list != 0) {
        f = free_list;
        free_list = *(paddr_t *)arch_phys_to_virt(f);
        free_count--;
    } else if (bump < limit) {
        f = bump;
        bump += PAGE_SIZE;
    } else {
        return 0;
    }
    memset(arch_phys_to_virt(f), 0, PAGE_SIZE);
    return f;
}

void mem_free_frame(paddr_t frame)
{
    KASSERT(frame != 0 && (frame & PAGE_MASK) == 0);
    *(paddr_t *)arch_phys_to_virt(frame) = free_list;
    free_list = frame;
    free_count++;
}

/* Contiguous runs given back, reused for requests of the same size (domains
 * mostly ask for the same amount of RAM). */
#define RUNS_MAX 64
static struct {
    paddr_t base;
    uint64_t bytes;
} runs[RUNS_MAX];
static uint64_t run_bytes;

void mem_free_contiguous(paddr_t base, uint64_t bytes)
{
    bytes = ALIGN_UP(bytes, PAGE_SIZE);
    for (unsigned i = 0; i < RUNS_MAX; i++) {
        if (runs[i].bytes == 0) {
            runs[i].base = base;
            runs[i].bytes = bytes;
            run_bytes += bytes;
            return;
        }
    }
    /* No room to remember it as a run: its frames go to the free list. */
    for (uint64_t off = 0; off < bytes; off += PAGE_SIZE)
        mem_free_frame(base + off);
}

paddr_t mem_alloc_contiguous(uint64_t bytes)
{
    bytes = ALIGN_UP(bytes, PAGE_SIZE);
    for (unsigned i = 0; i < RUNS_MAX; i++) {
        if (runs[i].bytes == bytes) {
            runs[i].bytes = 0;
            run_bytes -= bytes;
            memset(arch_phys_to_virt(runs[i].base), 0, bytes);
            return runs[i].base;
        }
    }
    if (bytes > limit - bump)
        return 0;
    /* From the top, so that the bump region below stays contiguous. */
    limit -= bytes;
    return limit;
}

uint64_t mem_free_bytes(void) { return (limit - bump) + free_count * PAGE_SIZE + run_bytes; }
