/* table.h — tables that grow, for domains with or without a heap: the
 * entries live in a frame of the domain's RAM, and a full table moves to a
 * frame twice the size. Entries move when it grows: keep indices, or keep
 * pointers only until the next table_fit that may grow it. */
#ifndef TABLE_H
#define TABLE_H

#include <cap_types.h>
#include <err.h>
#include <stdbool.h>
#include <stdint.h>

struct table {
    void *items;
    uint32_t cap;  /* entries there is room for */
    uint32_t elem; /* bytes each; set before first use */
    /* Makes a zeroed frame of bytes in slot; NULL: the domain's first RAM,
     * then RAM from its monitor (ram.h). The monitor sets its own. */
    err_t (*make_frame)(uint64_t bytes, capaddr_t slot);
    capaddr_t frame;
    uint64_t bytes;
};

/* Room for at least n entries, new ones zeroed. ERR_NOMEM (or the slot or
 * address allocator's error) if it cannot grow; the table is as it was. */
MUST_CHECK err_t table_fit(struct table *t, uint32_t n);
/* Gives the table's frame back: it is empty again, ready to grow. */
void table_release(struct table *t);

#endif
