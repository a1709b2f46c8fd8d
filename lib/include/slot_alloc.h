/* slot_alloc.h — which capability slots of this domain are free. Every slot a
 * program fills (a retype, a received capability, a minted one) comes from
 * slot_alloc; no program picks slot numbers by hand. Slots below
 * CAP_SLOT_FIRST_FREE are the well-known ones the kernel fills at spawn and are
 * never handed out. One allocator per domain; not for use from two threads. */
#ifndef SLOT_ALLOC_H
#define SLOT_ALLOC_H

#include <cap_types.h>
#include <err.h>

/* The most slots a capability space can ever have (two levels of CNodes of
 * 256 slots each): what the allocator's bitmap is sized for, 8 KiB. */
#define SLOT_ALLOC_MAX 65536u

/* A free slot, now taken; ERR_NOSPACE when every slot is taken and the space
 * cannot grow. */
MUST_CHECK err_t slot_alloc(capaddr_t *out);
/* Gives slot back. The capability in it should be deleted first. A slot that
 * is well-known, not taken, or past the space is left alone. */
void slot_free(capaddr_t slot);
/* The slots the allocator may hand out now lie below this. */
capaddr_t slot_limit(void);

/* Called by slot_alloc when every slot below the limit is taken: makes the
 * capability space larger and sets *new_limit to its new size in slots.
 * Programs get lib/sys's (a CNode from their own RAM, then their monitor's,
 * cspace_grow.c); the monitor and host tests define their own. */
err_t cspace_grow(capaddr_t *new_limit);

/* Puts RAM of at least bytes into slot, a well-known one: it may take no slot
 * from the allocator, which is full while the space grows. */
typedef err_t (*cspace_ram_fn)(uint64_t bytes, capaddr_t slot);
/* What every cspace_grow does (lib/sys/cspace_add.c): a CNode from the
 * domain's first RAM, or else from ram, joins the root table. */
err_t cspace_grow_from(cspace_ram_fn ram, capaddr_t *new_limit);

#endif
