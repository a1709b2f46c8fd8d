/* cap.c — the capability system calls (the spaces they name are cspace.c's).
 * Everything a domain passes is a slot number or a value checked here; no
 * invocation can reach memory, a core or another domain without the
 * capability for it. */
#include <arch.h>
#include <bootinfo.h>
#include <cap.h>
#include <device.h>
#include <dispatch.h>
#include <lmp_sys.h>
#include <proc_abi.h>
#include <string.h>
#include <syscall.h>

static struct sysret_value ok(uint64_t v) { return (struct sysret_value){OK, v}; }
static struct sysret_value fail(err_t e) { return (struct sysret_value){e, 0}; }

static bool is_frame(const struct cap *c)
{
    return c->type == CAP_FRAME || c->type == CAP_DEVFRAME;
}

static bool claims(const struct cap *ram, const struct cap *child);

/* What of ram no child claims (children are in address order and may overlap
 * where copies were moved up). */
static uint64_t ram_free_bytes(const struct cap *ram)
{
    uint64_t at = ram->base, claimed = 0;
    for (const struct cdt_node *n = ram->node.child; n != NULL; n = n->next) {
        const struct cap *c = (const struct cap *)n;
        if (!claims(ram, c) || c->base + c->size <= at)
            continue;
        uint64_t from = c->base > at ? c->base : at;
        claimed += c->base + c->size - from;
        at = c->base + c->size;
    }
    return ram->size - claimed;
}

/* Whether d may learn the physical address of c's memory: a monitor may;
 * another domain only with CAP_RIGHT_PHYS (cap_types.h). */
static bool may_know_phys(const struct dispatcher *d, const struct cap *c)
{
    bool memory = c->type == CAP_RAM || c->type == CAP_FRAME || c->type == CAP_CNODE;
    return !memory || d->is_monitor || (c->rights & CAP_RIGHT_PHYS);
}

struct sysret_value cap_sys_identify(struct dispatcher *d, const uint64_t a[6])
{
    struct cap *c;
    err_t err = cap_get(d, (capaddr_t)a[0], CAP_NULL, 0, &c);
    if (err != OK)
        return fail(err);
    struct cap_info info = {c->type, c->rights, c->base, c->size, 0};
    if (!may_know_phys(d, c))
        info.base = 0;
    if (c->type == CAP_KERNEL || c->type == CAP_DISPATCHER)
        info.base = c->core;
    if (c->type == CAP_RAM)
        info.free = ram_free_bytes(c);
    if (c->type == CAP_ENDPOINT)
        info.size = c->core; /* the domain it reaches (its badge is base) */
    err = uaccess_copy_out(d, a[1], &info, sizeof info);
    return err == OK ? ok(c->type) : fail(err);
}

struct sysret_value cap_sys_copy(struct dispatcher *d, const uint64_t a[6])
{
    struct cap *from;
    err_t err = cap_get(d, (capaddr_t)a[0], CAP_NULL, CAP_RIGHT_GRANT, &from);
    if (err != OK)
        return fail(err);
    err = cap_derive_copy(from, d, (capaddr_t)a[1], (uint32_t)a[2]);
    return err == OK ? ok(0) : fail(err);
}

struct sysret_value cap_sys_delete(struct dispatcher *d, const uint64_t a[6])
{
    struct cap *c;
    err_t err = cap_get(d, (capaddr_t)a[0], CAP_NULL, 0, &c);
    if (err != OK)
        return fail(err);
    cap_remove(c);
    return ok(0);
}

static void destroy_leaf(struct cdt_node *leaf, void *ctx)
{
    (void)ctx;
    struct cap *c = (struct cap *)leaf;
    /* cdt_revoke unlinked it already; cap_remove's unlink is then a no-op. */
    cap_remove(c);
}

/* Marks every exported capability below c as waiting for its revoke; how
 * many there are. */
static unsigned mark_exported(struct cap *c)
{
    unsigned n = 0;
    for (struct cdt_node *x = cdt_next_below(&c->node, &c->node); x != NULL;
         x = cdt_next_below(&c->node, x)) {
        struct cap *k = (struct cap *)x;
        if (k->flags & CAP_F_EXPORTED) {
            k->flags |= CAP_F_REVOKING;
            n++;
        }
    }
    return n;
}

/* Deletes every capability derived from this one, on this core, in every
 * domain: copies, frames retyped from RAM, their copies, and so on down. The
 * capability itself stays. Needs the revoke right. If some of that memory was
 * exported to other cores, nothing is deleted yet: this core's monitor is
 * told, takes the frames back from those cores (docs/capabilities.md) and
 * deletes its export; the caller gets ERR_REMOTE and revokes again once its
 * monitor says it is done. */
struct sysret_value cap_sys_revoke(struct dispatcher *d, const uint64_t a[6])
{
    struct cap *c;
    capaddr_t slot = (capaddr_t)a[0];
    err_t err = cap_get(d, slot, CAP_NULL, CAP_RIGHT_REVOKE, &c);
    if (err != OK)
        return fail(err);
    /* A capability kept in a CNode made from its own memory would go with
     * that CNode, in the middle of its own revoke. */
    if (cdt_is_descendant(&d->cspace[slot / CNODE_SLOTS].node, &c->node))
        return fail(ERR_BUSY);
    if (mark_exported(c) > 0) {
        struct dispatcher *m = dispatch_find(dispatch_monitor_id());
        if (m != NULL)
            lmp_kernel_notify(m, NOTIFY_REVOKE);
        return fail(ERR_REMOTE);
    }
    return ok(cdt_revoke(&c->node, destroy_leaf, NULL));
}

/* A copy of the RAM capability itself claims nothing: it names the same
 * memory. Everything else below a RAM capability claims its range. */
static bool claims(const struct cap *ram, const struct cap *child)
{
    return !((child->flags & CAP_F_COPY) && child->type == ram->type && child->base == ram->base &&
             child->size == ram->size);
}

/* The lowest free range of bytes in ram (first fit over its children, which
 * are in address order); *before gets the child the new one goes in front of. */
static err_t find_free(struct cap *ram, uint64_t bytes, uint64_t *base, struct cdt_node **before)
{
    uint64_t at = ram->base, end = ram->base + ram->size;
    struct cdt_node *n = ram->node.child;
    for (; n != NULL; n = n->next) {
        const struct cap *c = (const struct cap *)n;
        if (!claims(ram, c))
            continue;
        if (c->base >= at && c->base - at >= bytes)
            break;
        if (c->base + c->size > at)
            at = ALIGN_UP(c->base + c->size, PAGE_SIZE);
    }
    if (at > end || end - at < bytes)
        return ERR_NOMEM;
    *base = at;
    *before = n;
    return OK;
}

/* Carves a new Frame, RAM or CNode of bytes out of free memory of a RAM
 * capability (not a copy of one): the new capability is its child, and that
 * memory cannot be retyped again while it or anything made from it lives. */
struct sysret_value cap_sys_retype(struct dispatcher *d, const uint64_t a[6])
{
    struct cap *ram;
    err_t err = cap_get(d, (capaddr_t)a[0], CAP_RAM, CAP_RIGHT_WRITE, &ram);
    if (err != OK)
        return fail(err);
    if (ram->flags & CAP_F_COPY)
        return fail(ERR_PERM); /* only the original may hand its memory out */
    uint64_t type = a[2], bytes = a[3];
    bool want_phys = a[4] != 0;
    if (want_phys && !may_know_phys(d, ram))
        return fail(ERR_PERM); /* only a driver allowed DMA learns where memory is */
    bool known = type == CAP_FRAME || type == CAP_RAM || type == CAP_CNODE;
    if (!known || bytes == 0 || (bytes & PAGE_MASK) || (type == CAP_CNODE && bytes != CNODE_BYTES))
        return fail(ERR_INVAL);
    struct cap *dst = cap_slot(d, (capaddr_t)a[1]);
    if (dst == NULL)
        return fail(ERR_INVAL);
    if (dst->type != CAP_NULL)
        return fail(ERR_NOSPACE);
    uint64_t base;
    struct cdt_node *before;
    if ((err = find_free(ram, bytes, &base, &before)) != OK)
        return fail(err);
    /* Nobody sees old contents. RAM cannot be mapped: a frame or CNode made
     * of it later is cleared then, so a large RAM retype costs no clearing. */
    if (type != CAP_RAM)
        memset(arch_phys_to_virt(base), 0, bytes);
    *dst = (struct cap){.holder = d,
                        .type = (uint8_t)type,
                        .rights = CAP_RIGHTS_ALL | (ram->rights & CAP_RIGHT_PHYS),
                        .base = base,
                        .size = bytes};
    cdt_add_child(&ram->node, &dst->node, before);
    return ok(want_phys ? base : 0);
}

/* (devframe, to, offset, bytes): a DevFrame of whole pages of one, as its
 * child, so a bus driver can give a driver exactly its device's registers.
 * Device memory is never handed out as memory, so a copy may do it too. */
struct sysret_value cap_sys_devframe_part(struct dispatcher *d, const uint64_t a[6])
{
    struct cap *dev;
    err_t err = cap_get(d, (capaddr_t)a[0], CAP_DEVFRAME, CAP_RIGHT_GRANT, &dev);
    if (err != OK)
        return fail(err);
    uint64_t offset = a[2], bytes = a[3];
    if (bytes == 0 || ((offset | bytes) & PAGE_MASK) || offset > dev->size ||
        bytes > dev->size - offset)
        return fail(ERR_INVAL);
    err = cap_derive_part(dev, d, (capaddr_t)a[1], offset, bytes);
    return err == OK ? ok(0) : fail(err);
}

struct sysret_value cap_sys_frame_map(struct dispatcher *d, const uint64_t a[6])
{
    struct cap *f;
    bool writable = a[2] != 0;
    err_t err = cap_get(d, (capaddr_t)a[0], CAP_NULL,
                        CAP_RIGHT_READ | (writable ? CAP_RIGHT_WRITE : 0), &f);
    if (err != OK)
        return fail(err);
    if (!is_frame(f))
        return fail(ERR_PERM);
    uvaddr_t va = a[1];
    if (f->mapped_at != 0)
        return fail(ERR_INVAL); /* one mapping per capability: copy it to map again */
    if ((va & PAGE_MASK) || va == 0 || va + f->size < va)
        return fail(ERR_INVAL);
    uint64_t off = 0;
    for (; off < f->size; off += PAGE_SIZE) {
        err = arch_vspace_map_device(d, va + off, f->base + off, writable, f->type == CAP_DEVFRAME);
        if (err != OK)
            break;
    }
    if (err != OK) {
        if (off > 0)
            arch_vspace_unmap(d, va, off);
        return fail(err);
    }
    f->mapped_at = va;
    return ok(va);
}

/* Memory a monitor may make frames of: RAM the boot info lists. */
static bool is_ram(paddr_t base, uint64_t size)
{
    const struct boot_info *info = boot_info();
    for (uint32_t i = 0; i < info->ram_count; i++) {
        const struct boot_ram *r = &info->ram[i];
        if (base >= r->base && size <= r->size && base - r->base <= r->size - size)
            return true;
    }
    return false;
}

/* Whether a monitor may make a capability of type for [base, base + bytes)
 * (wake: a channel frame's core + 1); what each type may name. */
static bool mintable(uint64_t type, uint64_t base, uint64_t bytes, uint64_t wake)
{
    bool pages = bytes != 0 && ((base | bytes) & PAGE_MASK) == 0;
    switch (type) {
    case CAP_IRQ: /* an interrupt line, for the driver that will own it */
        return arch_irq_valid(base) && bytes == 0 && wake == 0;
    case CAP_IOPORT: /* x86 I/O ports base .. base + bytes - 1 */
        return arch_ioport_range(base, bytes) && wake == 0;
    case CAP_DEBUG: /* for the fault injector (debug.c): no memory, no core */
        return base == 0 && bytes == 0 && wake == 0;
    case CAP_KLOG: /* the console log lives on the boot core, where every line arrives */
        return base == 0 && bytes == 0 && wake == 0 && boot_self()->id == 0;
    case CAP_DEVFRAME: /* device registers: never RAM, only what the direct map covers */
        return pages && (arch_device_range(base, bytes) || device_bus_range(base, bytes)) &&
               wake == 0;
    case CAP_FRAME: /* RAM; wake = K + 1 makes a channel frame whose holder may wake core K */
        return pages && is_ram(base, bytes) && wake <= boot_info()->core_count;
    case CAP_RAM: /* RAM another core's monitor lent this one (it keeps the original) */
        return pages && is_ram(base, bytes) && wake == 0;
    default:
        return false;
    }
}

struct sysret_value cap_sys_kernel_mint(struct dispatcher *d, const uint64_t a[6])
{
    struct cap *k;
    err_t err = cap_get(d, (capaddr_t)a[0], CAP_KERNEL, 0, &k);
    if (err != OK)
        return fail(err);
    uint64_t type = a[2], base = a[3], bytes = a[4], wake = a[5];
    if (!mintable(type, base, bytes, wake))
        return fail(ERR_INVAL);
    /* A monitor's RAM may be shown to the DMA drivers it hands it to. */
    uint32_t rights = CAP_RIGHTS_ALL | (type == CAP_RAM ? CAP_RIGHT_PHYS : 0);
    struct cap made = {.type = (uint8_t)type,
                       .rights = rights,
                       .core = (uint32_t)wake,
                       .base = base,
                       .size = bytes};
    err = cap_install(d, (capaddr_t)a[1], &made);
    return err == OK ? ok(0) : fail(err);
}

/* A monitor marks a frame of its own as exported: frames of the same memory
 * exist on other cores, and a revoke above it must wait for them. */
struct sysret_value cap_sys_kernel_export(struct dispatcher *d, const uint64_t a[6])
{
    struct cap *k, *f;
    err_t err = cap_get(d, (capaddr_t)a[0], CAP_KERNEL, 0, &k);
    if (err == OK)
        err = cap_get(d, (capaddr_t)a[1], CAP_FRAME, 0, &f);
    if (err != OK)
        return fail(err);
    f->flags |= CAP_F_EXPORTED;
    return ok(0);
}

/* Wakes the core at the other end of a channel frame (its waiters re-check). */
struct sysret_value cap_sys_chan_wake(struct dispatcher *d, const uint64_t a[6])
{
    struct cap *f;
    err_t err = cap_get(d, (capaddr_t)a[0], CAP_FRAME, 0, &f);
    if (err != OK)
        return fail(err);
    if (f->core == 0)
        return fail(ERR_PERM); /* not a channel frame */
    coreid_t core = f->core - 1;
    if (core == boot_self()->id)
        dispatch_wake_all();
    else
        arch_send_wake(core);
    return ok(0);
}

/* (slot, rights): the capability keeps only these of its rights. Rights only
 * go: a monitor strips CAP_RIGHT_PHYS from RAM it hands a domain that may not
 * know physical addresses. */
struct sysret_value cap_sys_restrict(struct dispatcher *d, const uint64_t a[6])
{
    struct cap *c;
    err_t err = cap_get(d, (capaddr_t)a[0], CAP_NULL, 0, &c);
    if (err != OK)
        return fail(err);
    if (a[1] > UINT32_MAX)
        return fail(ERR_INVAL);
    c->rights &= (uint32_t)a[1];
    return ok(0);
}
