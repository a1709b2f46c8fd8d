/* extent.c — first-fit page runs with merging (extent.h). The list is walked
 * from the lowest address: O(runs) a call, and runs stay few because
 * neighbours merge. */
#include <extent.h>

struct run {
    uint64_t size;
    uint64_t next; /* the next free run's address, higher; 0: none */
};

static struct run *run_at(const struct extents *e, uint64_t addr) { return e->at(addr); }

void extent_free(struct extents *e, uint64_t base, uint64_t bytes)
{
    bytes = (bytes + EXTENT_UNIT - 1) & ~(uint64_t)(EXTENT_UNIT - 1);
    if (bytes == 0)
        return;
    e->free_bytes += bytes;
    uint64_t prev = 0, next = e->head;
    while (next != 0 && next < base) {
        prev = next;
        next = run_at(e, next)->next;
    }
    struct run *r = run_at(e, base);
    r->size = bytes;
    r->next = next;
    if (next != 0 && base + bytes == next) { /* merge with the one above */
        struct run *n = run_at(e, next);
        r->size += n->size;
        r->next = n->next;
    }
    if (prev == 0) {
        e->head = base;
        return;
    }
    struct run *p = run_at(e, prev);
    if (prev + p->size == base) { /* and with the one below */
        p->size += r->size;
        p->next = r->next;
    } else {
        p->next = base;
    }
}

uint64_t extent_alloc(struct extents *e, uint64_t bytes)
{
    bytes = (bytes + EXTENT_UNIT - 1) & ~(uint64_t)(EXTENT_UNIT - 1);
    if (bytes == 0)
        return 0;
    uint64_t prev = 0, at = e->head;
    while (at != 0 && run_at(e, at)->size < bytes) {
        prev = at;
        at = run_at(e, at)->next;
    }
    if (at == 0)
        return 0;
    struct run *r = run_at(e, at);
    uint64_t rest = r->size - bytes, after = r->next;
    if (rest != 0) { /* the run's top part stays free */
        struct run *t = run_at(e, at + bytes);
        t->size = rest;
        t->next = after;
        after = at + bytes;
    }
    if (prev == 0)
        e->head = after;
    else
        run_at(e, prev)->next = after;
    e->free_bytes -= bytes;
    return at;
}
