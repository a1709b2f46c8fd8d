/* heap.c — the heap newlib's malloc grows with sbrk. It starts in the RAM the
 * domain was spawned with, then asks its core's monitor for more (ram.h),
 * in blocks that grow with the heap (an eighth of it at a time, at least
 * 1 MiB), each retyped into one frame and mapped at the heap's end. When the
 * machine has no more, sbrk fails with ENOMEM and malloc returns NULL. */
#include <errno.h>
#include <ram.h>
#include <slot_alloc.h>
#include <stdint.h>
#include <sys.h>
#include <unistd.h>
#include <va_layout.h>

#define HEAP_BASE   VA_HEAP_BASE
#define HEAP_END    VA_HEAP_END
#define FIRST_CHUNK (64 * 1024ul) /* from the spawn RAM, a chunk at a time */
#define BLOCK_MIN   (1024 * 1024ul)

static uintptr_t heap_end = HEAP_BASE, heap_mapped = HEAP_BASE;
static bool spawn_ram_used_up;

static capaddr_t take_slot(void)
{
    capaddr_t s;
    return slot_alloc(&s) == OK ? s : 0;
}

static void give_back_slot(capaddr_t slot)
{
    (void)cap_delete(slot);
    slot_free(slot);
}

/* Maps a new frame of bytes from ram at the heap's end. */
static err_t map_frame(capaddr_t ram, uint64_t bytes)
{
    capaddr_t slot = take_slot();
    if (slot == 0)
        return ERR_NOSPACE;
    err_t err = cap_retype(ram, slot, CAP_FRAME, bytes, NULL);
    if (err == OK && (err = frame_map(slot, heap_mapped, 1)) != OK)
        (void)cap_delete(slot);
    if (err != OK) {
        give_back_slot(slot);
        return err;
    }
    heap_mapped += bytes;
    return OK;
}

/* At least need more bytes of heap, mapped. */
static err_t grow(uint64_t need)
{
    if (!spawn_ram_used_up && need <= FIRST_CHUNK) {
        if (map_frame(CAP_SLOT_RAM, FIRST_CHUNK) == OK)
            return OK;
        spawn_ram_used_up = true;
    }
    uint64_t mapped = heap_mapped - HEAP_BASE;
    uint64_t block = (need + BLOCK_MIN - 1) & ~(BLOCK_MIN - 1);
    if (block < mapped / 8)
        block = (mapped / 8 + BLOCK_MIN - 1) & ~(BLOCK_MIN - 1);
    uint64_t exact = (need + 0xfff) & ~0xfffull;
    if (block > HEAP_END - heap_mapped)
        block = exact;
    if (exact > HEAP_END - heap_mapped)
        return ERR_NOMEM;
    capaddr_t ram = take_slot();
    if (ram == 0)
        return ERR_NOSPACE;
    err_t err = ram_alloc(block, ram, NULL);
    if (err == ERR_NOMEM && block > exact) /* the last of the machine's RAM */
        err = ram_alloc(block = exact, ram, NULL);
    if (err == OK)
        err = map_frame(ram, block);
    /* The frame keeps the memory; the RAM capability is not needed again. */
    give_back_slot(ram);
    return err;
}

void *_sbrk(ptrdiff_t incr)
{
    uintptr_t old = heap_end;
    if (incr < 0 || (uintptr_t)incr > HEAP_END - heap_end) {
        errno = ENOMEM;
        return (void *)-1;
    }
    while (heap_end + (uintptr_t)incr > heap_mapped) {
        if (grow(heap_end + (uintptr_t)incr - heap_mapped) != OK) {
            errno = ENOMEM;
            return (void *)-1;
        }
    }
    heap_end += (uintptr_t)incr;
    return (void *)old;
}
void *sbrk(ptrdiff_t incr) __attribute__((alias("_sbrk")));
