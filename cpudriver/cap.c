/* cap.c — capability spaces and the capability system calls. Everything a
 * domain passes is a slot number or a value checked here; no invocation can
 * reach memory, a core or another domain without the capability for it. */
#include <arch.h>
#include <bootinfo.h>
#include <cap.h>
#include <dispatch.h>
#include <string.h>
#include <syscall.h>

static struct sysret_value ok(uint64_t v) { return (struct sysret_value){OK, v}; }
static struct sysret_value fail(err_t e) { return (struct sysret_value){e, 0}; }

struct cap *cap_slot(struct dispatcher *d, capaddr_t slot)
{
    if (slot == 0 || slot >= CSPACE_SLOTS)
        return NULL;
    return &d->cspace[slot];
}

err_t cap_get(struct dispatcher *d, capaddr_t slot, enum cap_type type, uint32_t rights,
              struct cap **out)
{
    struct cap *c = cap_slot(d, slot);
    if (c == NULL)
        return ERR_INVAL;
    if (c->type == CAP_NULL)
        return ERR_NOENT;
    if ((type != CAP_NULL && c->type != type) || (c->rights & rights) != rights)
        return ERR_PERM;
    *out = c;
    return OK;
}

err_t cap_install(struct dispatcher *d, capaddr_t slot, const struct cap *c)
{
    struct cap *dst = cap_slot(d, slot);
    if (dst == NULL)
        return ERR_INVAL;
    if (dst->type != CAP_NULL)
        return ERR_NOSPACE;
    *dst = *c;
    dst->mapped_at = 0;
    return OK;
}

void cap_space_clear(struct dispatcher *d) { memset(d->cspace, 0, sizeof d->cspace); }

static bool is_frame(const struct cap *c)
{
    return c->type == CAP_FRAME || c->type == CAP_DEVFRAME;
}

static void cap_remove(struct dispatcher *holder, struct cap *c)
{
    if (is_frame(c) && c->mapped_at != 0)
        arch_vspace_unmap(holder, c->mapped_at, c->size);
    memset(c, 0, sizeof *c);
}

struct sysret_value cap_sys_identify(struct dispatcher *d, const uint64_t a[6])
{
    struct cap *c;
    err_t err = cap_get(d, (capaddr_t)a[0], CAP_NULL, 0, &c);
    if (err != OK)
        return fail(err);
    struct cap_info info = {c->type, c->rights, c->base, c->size};
    if (c->type == CAP_KERNEL || c->type == CAP_DISPATCHER)
        info.base = c->core;
    err = uaccess_copy_out(d, a[1], &info, sizeof info);
    return err == OK ? ok(c->type) : fail(err);
}

struct sysret_value cap_sys_copy(struct dispatcher *d, const uint64_t a[6])
{
    struct cap *from;
    err_t err = cap_get(d, (capaddr_t)a[0], CAP_NULL, CAP_RIGHT_GRANT, &from);
    if (err != OK)
        return fail(err);
    struct cap copy = *from;
    copy.rights &= (uint8_t)a[2];
    copy.derived = 1;
    copy.used = copy.type == CAP_RAM ? copy.size : 0; /* a copy of RAM cannot retype */
    err = cap_install(d, (capaddr_t)a[1], &copy);
    return err == OK ? ok(0) : fail(err);
}

struct sysret_value cap_sys_delete(struct dispatcher *d, const uint64_t a[6])
{
    struct cap *c;
    err_t err = cap_get(d, (capaddr_t)a[0], CAP_NULL, 0, &c);
    if (err != OK)
        return fail(err);
    cap_remove(d, c);
    return ok(0);
}

static bool within(const struct cap *inner, const struct cap *outer)
{
    return inner->base >= outer->base && inner->base + inner->size <= outer->base + outer->size;
}

/* Deletes every derived memory capability on this core that lies within the
 * revoked one (other than itself); a revoked RAM capability can retype again. */
struct sysret_value cap_sys_revoke(struct dispatcher *d, const uint64_t a[6])
{
    struct cap *c;
    err_t err = cap_get(d, (capaddr_t)a[0], CAP_NULL, 0, &c);
    if (err != OK)
        return fail(err);
    if (c->type != CAP_RAM && !is_frame(c))
        return fail(ERR_INVAL);
    unsigned removed = 0;
    for (struct dispatcher *o = dispatch_first(); o != NULL; o = dispatch_next(o)) {
        for (capaddr_t s = 1; s < CSPACE_SLOTS; s++) {
            struct cap *x = &o->cspace[s];
            if (x == c || !x->derived || (x->type != CAP_RAM && !is_frame(x)) || !within(x, c))
                continue;
            cap_remove(o, x);
            removed++;
        }
    }
    if (c->type == CAP_RAM)
        c->used = 0;
    return ok(removed);
}

struct sysret_value cap_sys_retype(struct dispatcher *d, const uint64_t a[6])
{
    struct cap *ram;
    err_t err = cap_get(d, (capaddr_t)a[0], CAP_RAM, CAP_RIGHT_WRITE, &ram);
    if (err != OK)
        return fail(err);
    uint64_t type = a[2], bytes = a[3];
    if ((type != CAP_FRAME && type != CAP_RAM) || bytes == 0 || (bytes & PAGE_MASK))
        return fail(ERR_INVAL);
    if (bytes > ram->size - ram->used)
        return fail(ERR_NOMEM);
    struct cap *dst = cap_slot(d, (capaddr_t)a[1]);
    if (dst == NULL)
        return fail(ERR_INVAL);
    if (dst->type != CAP_NULL)
        return fail(ERR_NOSPACE);
    struct cap made = {.type = (uint8_t)type,
                       .rights = CAP_RIGHTS_ALL,
                       .derived = 1,
                       .base = ram->base + ram->used,
                       .size = bytes};
    memset(arch_phys_to_virt(made.base), 0, bytes); /* nobody sees old contents */
    ram->used += bytes;
    return cap_install(d, (capaddr_t)a[1], &made) == OK ? ok(made.base) : fail(ERR_NOSPACE);
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
    if ((va & PAGE_MASK) || va == 0)
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
    case CAP_KLOG: /* the console log lives on the boot core, where every line arrives */
        return base == 0 && bytes == 0 && wake == 0 && boot_self()->id == 0;
    case CAP_DEVFRAME: /* device registers: never RAM, only what the direct map covers */
        return pages && arch_device_range(base, bytes) && wake == 0;
    case CAP_FRAME: /* RAM; wake = K + 1 makes a channel frame whose holder may wake core K */
        return pages && is_ram(base, bytes) && wake <= boot_info()->core_count;
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
    struct cap made = {.type = (uint8_t)type,
                       .rights = CAP_RIGHTS_ALL,
                       .derived = 1,
                       .core = (uint32_t)wake,
                       .base = base,
                       .size = bytes};
    err = cap_install(d, (capaddr_t)a[1], &made);
    return err == OK ? ok(0) : fail(err);
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
