/* cspace_grow.c — a program's capability space grows with RAM from its
 * core's monitor (ram.h). A monitor, which cannot ask itself, defines its own
 * cspace_grow, and this file is then not linked. */
#include <ram.h>
#include <slot_alloc.h>

static err_t from_the_monitor(uint64_t bytes, capaddr_t slot)
{
    return ram_alloc(bytes, slot, NULL);
}

err_t cspace_grow(capaddr_t *new_limit) { return cspace_grow_from(from_the_monitor, new_limit); }
