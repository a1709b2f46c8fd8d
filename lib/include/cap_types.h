/* cap_types.h — capability types, rights and the well-known slots, shared by
 * the CPU drivers and the user runtime. A domain names a capability by its
 * slot number (capaddr_t) in its own capability space; it cannot name anyone
 * else's. */
#ifndef CAP_TYPES_H
#define CAP_TYPES_H

#include <stdint.h>

typedef uint32_t capaddr_t;

enum cap_type {
    CAP_NULL = 0,
    CAP_RAM,        /* untyped physical memory: retype it into frames */
    CAP_FRAME,      /* mappable physical memory */
    CAP_DEVFRAME,   /* mappable device registers (uncached) */
    CAP_DISPATCHER, /* a domain */
    CAP_ENDPOINT,   /* where local messages to a domain go */
    CAP_IRQ,        /* an interrupt line */
    CAP_KERNEL,     /* the monitor's: start cores, make frames of any memory, IPIs */
    CAP_IOPORT,     /* a range of x86 I/O ports: base, size */
    CAP_KLOG,       /* the boot core's console log: take the kernel's lines over */
    CAP_CNODE,      /* RAM retyped into CNODE_SLOTS more capability slots */
    CAP_DEBUG,      /* write into the image of this core's fault-injection targets */
    CAP__COUNT
};

#define CAP_RIGHT_READ   (1u << 0)
#define CAP_RIGHT_WRITE  (1u << 1)
#define CAP_RIGHT_GRANT  (1u << 2) /* may be copied or passed on */
#define CAP_RIGHT_REVOKE (1u << 3) /* may revoke: delete what was derived from it */
#define CAP_RIGHTS_ALL   (CAP_RIGHT_READ | CAP_RIGHT_WRITE | CAP_RIGHT_GRANT | CAP_RIGHT_REVOKE)
/* RAM, and what is retyped from it: its holder may learn physical addresses
 * (cap_retype's phys, cap_identify's base), to hand them to a device for DMA.
 * Monitors give it only to the drivers the service table allows (devices=dma);
 * without an IOMMU such a driver is trusted with all memory. Not part of
 * CAP_RIGHTS_ALL: it is given, never assumed. */
#define CAP_RIGHT_PHYS (1u << 4)

/* What cap_identify reports. */
struct cap_info {
    uint32_t type;
    uint32_t rights;
    uint64_t base; /* physical base of memory caps (0 without CAP_RIGHT_PHYS, but
                    * for monitors); the core of a kernel cap; an endpoint's badge */
    uint64_t size; /* of memory caps; an endpoint: the domain id it reaches */
    uint64_t free; /* RAM: bytes no capability derived from it covers */
};

/* A capability space has two levels: capability address A names slot
 * A % CNODE_SLOTS of the CNode in entry A / CNODE_SLOTS of the domain's root
 * table. Entry 0 (slots 0 .. CNODE_SLOTS - 1) every domain starts with; the
 * others it fills with CNodes it retypes from its own RAM (cspace_add_cnode),
 * up to CSPACE_MAX_SLOTS slots. Slot 0 is never valid. */
#define CNODE_SLOTS      256
#define CSPACE_L1_SLOTS  256
#define CSPACE_MAX_SLOTS (CNODE_SLOTS * CSPACE_L1_SLOTS)
#define CNODE_BYTES      (20 * 1024) /* what a CNode is retyped from */
#define CSPACE_SLOTS     CNODE_SLOTS /* the slots every domain starts with */

/* Slots every domain starts with. */
#define CAP_SLOT_SELF       1 /* its own dispatcher */
#define CAP_SLOT_KERNEL     2 /* monitors only */
#define CAP_SLOT_RAM        3 /* memory to build from */
#define CAP_SLOT_BOOT_FRAME 4 /* monitors: the channel region(s) to other monitors */
#define CAP_SLOT_GROW_RAM   6 /* cspace_grow's scratch: RAM for a new CNode ... */
#define CAP_SLOT_GROW_CNODE 7 /* ... and the CNode, until it joins the root table */
#define CAP_SLOT_FIRST_FREE 8

#endif
