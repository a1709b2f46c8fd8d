/* table.c — tables that grow, for a monitor that has no heap: the entries
 * live in a frame of the monitor's RAM, and a full table moves to a frame
 * twice the size. Entries move when it grows: callers keep indices, or
 * pointers only until their next call that may add an entry. */
#include "monitor.h"

#include <slot_alloc.h>
#include <string.h>
#include <sys.h>
#include <va_layout.h>

bool mon_table_fit(struct mon_table *t, uint32_t n)
{
    if (n <= t->cap)
        return true;
    uint64_t bytes = t->bytes ? 2 * t->bytes : VA_PAGE;
    while (bytes / t->elem < n)
        bytes *= 2;
    capaddr_t frame;
    if (slot_alloc(&frame) != OK)
        return false;
    uintptr_t va = 0;
    if (mon_frame(bytes, frame) == OK)
        va = mon_map(frame, bytes);
    if (va == 0) {
        (void)cap_delete(frame);
        slot_free(frame);
        sys_printf("monitor %u: no memory for a table of %u entries of %u bytes\n", mon.core, n,
                   t->elem);
        return false;
    }
    if (t->bytes != 0) {
        memcpy((void *)va, t->items, t->bytes);
        (void)cap_delete(t->frame); /* unmaps it */
        slot_free(t->frame);
        va_free((uintptr_t)t->items, t->bytes);
    }
    t->items = (void *)va; /* the rest is zeroed by the retype */
    t->frame = frame;
    t->bytes = bytes;
    t->cap = (uint32_t)(bytes / t->elem);
    return true;
}
