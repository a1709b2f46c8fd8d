/* cap.h — capabilities in the CPU driver. Each dispatcher has a capability
 * space: a table of slots, checked on every invocation. Memory is reachable
 * from user mode only through a Frame capability the domain holds; RAM
 * capabilities are retyped into frames; revoking a capability deletes what was
 * derived from it on this core, and deleting a mapped frame unmaps it. */
#ifndef CAP_H
#define CAP_H

#include "kernel.h"
#include <cap_types.h>

struct dispatcher;

struct cap {
    uint8_t type;
    uint8_t rights;
    uint8_t derived; /* made by retype, copy or mint: revocable */
    uint8_t pad;
    uint32_t core; /* CAP_KERNEL: its core; CAP_DISPATCHER/ENDPOINT: domain id;
                    * CAP_FRAME of a channel: the core at the other end, + 1 (0: none) */
    uint64_t base;
    uint64_t size;
    uint64_t used;      /* CAP_RAM: bytes already retyped, from the start */
    uvaddr_t mapped_at; /* frames: where it is mapped in its holder, 0 if not */
};

/* Looks up a slot of d's capability space; NULL if out of range. */
struct cap *cap_slot(struct dispatcher *d, capaddr_t slot);
/* The capability in slot if it has the type (CAP_NULL: any) and rights. */
MUST_CHECK err_t cap_get(struct dispatcher *d, capaddr_t slot, enum cap_type type, uint32_t rights,
                         struct cap **out);
/* Puts a new capability into an empty slot. */
MUST_CHECK err_t cap_install(struct dispatcher *d, capaddr_t slot, const struct cap *c);
/* Removes every capability of d (it is going away), unmapping nothing: its
 * address space goes with it. */
void cap_space_clear(struct dispatcher *d);

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
struct sysret_value cap_sys_frame_map(struct dispatcher *d, const uint64_t a[6]);
struct sysret_value cap_sys_kernel_mint(struct dispatcher *d, const uint64_t a[6]);
struct sysret_value cap_sys_chan_wake(struct dispatcher *d, const uint64_t a[6]);

#endif
