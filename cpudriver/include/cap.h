/* cap.h — capabilities in the CPU driver. Each dispatcher has a two-level
 * capability space (cap_types.h), checked on every invocation. Every copy and
 * retype is recorded in this core's derivation tree (cdt.h): revoke deletes
 * exactly the descendants of the capability it is given; delete removes one
 * capability; memory is free to retype again once no capability derived from
 * it covers it. Memory is reachable from user mode only through a Frame
 * capability the domain holds; deleting a mapped frame unmaps it. */
#ifndef CAP_H
#define CAP_H

#include "kernel.h"
#include <cap_types.h>
#include <cdt.h>

struct dispatcher;

#define CAP_F_COPY     1 /* made by copy: names its parent's object, claims no memory of its own */
#define CAP_F_EXPORTED 2 /* a monitor's: other cores hold frames of this memory */
#define CAP_F_REVOKING 4 /* exported, and a revoke above it waits for those cores */

struct cap {
    struct cdt_node node;      /* first, so that a node is its capability */
    struct dispatcher *holder; /* whose space it is in; unmapping needs it */
    uint8_t type;
    uint8_t rights;
    uint8_t flags;
    uint8_t pad;
    uint32_t core; /* CAP_KERNEL: its core; CAP_DISPATCHER/ENDPOINT: domain id;
                    * CAP_FRAME of a channel: the core at the other end, + 1 (0: none) */
    uint64_t base;
    uint64_t size;
    uvaddr_t mapped_at; /* frames: where it is mapped in its holder, 0 if not */
};
_Static_assert(CNODE_SLOTS * sizeof(struct cap) <= CNODE_BYTES, "a CNode holds its slots");

/* Looks up a slot of d's capability space; NULL if out of range or in a part
 * of the space the domain has not added. */
struct cap *cap_slot(struct dispatcher *d, capaddr_t slot);
/* The capability in slot if it has the type (CAP_NULL: any) and rights. */
MUST_CHECK err_t cap_get(struct dispatcher *d, capaddr_t slot, enum cap_type type, uint32_t rights,
                         struct cap **out);
/* Puts a new root capability (one the kernel made) into an empty slot. */
MUST_CHECK err_t cap_install(struct dispatcher *d, capaddr_t slot, const struct cap *c);
/* Puts a copy of from, with rights masked, into d's empty slot, as from's
 * child in the derivation tree. */
MUST_CHECK err_t cap_derive_copy(struct cap *from, struct dispatcher *d, capaddr_t slot,
                                 uint32_t rights);
/* Deletes one capability: unmaps it, empties a CNode, takes it out of the tree
 * (what was derived from it stays, one level up). */
void cap_remove(struct cap *c);

/* Gives d its first CNode and root table (kernel memory); ERR_NOMEM if none. */
MUST_CHECK err_t cspace_create(struct dispatcher *d);
/* Removes every capability of d (it is going away) and frees its root table. */
void cspace_destroy(struct dispatcher *d);
/* Calls fn for every capability of d until fn returns true; returns whether
 * one did. */
bool cspace_any(struct dispatcher *d, bool (*fn)(const struct cap *c, const void *arg),
                const void *arg);

struct sysret_value {
    err_t err;
    uint64_t value;
};

/* The capability system calls; each checks every argument. */
struct sysret_value cap_sys_identify(struct dispatcher *d, const uint64_t a[6]);
struct sysret_value cap_sys_copy(struct dispatcher *d, const uint64_t a[6]);
struct sysret_value cap_sys_delete(struct dispatcher *d, const uint64_t a[6]);
struct sysret_value cap_sys_revoke(struct dispatcher *d, const uint64_t a[6]);
struct sysret_value cap_sys_retype(struct dispatcher *d, const uint64_t a[6]);
struct sysret_value cap_sys_restrict(struct dispatcher *d, const uint64_t a[6]);
struct sysret_value cap_sys_devframe_part(struct dispatcher *d, const uint64_t a[6]);
/* A child of DevFrame from naming [offset, offset + bytes) of it, in d's slot. */
MUST_CHECK err_t cap_derive_part(struct cap *from, struct dispatcher *d, capaddr_t slot,
                                 uint64_t offset, uint64_t bytes);
struct sysret_value cap_sys_frame_map(struct dispatcher *d, const uint64_t a[6]);
/* frame_copy.c */
struct sysret_value cap_sys_frame_copy(struct dispatcher *d, const uint64_t a[6]);
struct sysret_value cap_sys_kernel_mint(struct dispatcher *d, const uint64_t a[6]);
struct sysret_value cap_sys_chan_wake(struct dispatcher *d, const uint64_t a[6]);
struct sysret_value cspace_sys_add(struct dispatcher *d, const uint64_t a[6]);
struct sysret_value cap_sys_kernel_export(struct dispatcher *d, const uint64_t a[6]);
struct sysret_value cspace_sys_kernel_revoking(struct dispatcher *d, const uint64_t a[6]);

#endif
