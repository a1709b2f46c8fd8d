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

capaddr_t mon_own_ram(void)
{
    static capaddr_t own;
    if (own != 0)
        return own;
    if (mon.core != 0)
        return own = CAP_SLOT_RAM; /* the small RAM it was born with, all its own */
    /* Monitor 0 was born with the machine's RAM, which it shares out: its own
     * part (mesh pages, tables, peers) is set apart, out of the figures. */
    uint64_t n = mon.ncores;
    uint64_t bytes = (2ull << 20) + n * n / 2 * 4096 + n * 8192;
    if (slot_alloc(&own) != OK || cap_retype(CAP_SLOT_RAM, own, CAP_RAM, bytes, NULL) != OK) {
        if (own != 0)
            slot_free(own);
        own = CAP_SLOT_RAM;
    }
    return own;
}

err_t mon_phys_take(uint64_t bytes, uint64_t *phys)
{
    bytes = (bytes + 0xfff) & ~0xfffull;
    if (chunk_end - chunk_next < bytes) {
        uint64_t want = bytes > CHUNK_BYTES ? bytes : CHUNK_BYTES;
        capaddr_t slot;
        if (slot_alloc(&slot) != OK)
            return ERR_NOSPACE;
        uint64_t base;
        /* A frame, so that the kernel clears it; the monitor never maps it.
         * Its own RAM first, then RAM it shares out: channel pages are not
         * bounded by the small RAM a monitor is born with. */
        err_t err = mon_frame_at(want, slot, &base);
        if (err == ERR_NOMEM && want > bytes) /* the last of it: just enough */
            err = mon_frame_at(want = bytes, slot, &base);
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
