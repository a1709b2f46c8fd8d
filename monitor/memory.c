/* memory.c — physical pages the monitor hands out by address (channel pages,
 * mesh pages) rather than as capabilities of their own. They are carved from
 * RAM capabilities the monitor retypes and keeps: the derivation tree then
 * holds that memory for as long as the monitor lives, so no later retype can
 * give the same pages to anyone else. */
#include "monitor.h"

#include <slot_alloc.h>
#include <sys.h>

#define CHUNK_BYTES (256 * 1024ull)

static uint64_t chunk_next, chunk_end; /* what is left of the current chunk */

err_t mon_phys_take(uint64_t bytes, uint64_t *phys)
{
    bytes = (bytes + 0xfff) & ~0xfffull;
    if (chunk_end - chunk_next < bytes) {
        uint64_t want = bytes > CHUNK_BYTES ? bytes : CHUNK_BYTES;
        capaddr_t slot;
        if (slot_alloc(&slot) != OK)
            return ERR_NOSPACE;
        uint64_t base;
        /* A frame, so that the kernel clears it; the monitor never maps it. */
        err_t err = cap_retype(CAP_SLOT_RAM, slot, CAP_FRAME, want, &base);
        if (err == ERR_NOMEM && want > bytes) /* the last of the RAM: just enough */
            err = cap_retype(CAP_SLOT_RAM, slot, CAP_FRAME, want = bytes, &base);
        if (err != OK) {
            slot_free(slot);
            return err;
        }
        chunk_next = base;
        chunk_end = base + want;
    }
    *phys = chunk_next;
    chunk_next += bytes;
    return OK;
}
