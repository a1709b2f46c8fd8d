/* ram.c — RAM on demand: this monitor shares out its core's RAM to the
 * domains that ask (NS_RAM). Monitor 0 holds the machine's RAM; another
 * monitor that runs short borrows a chunk of it (MON_RAM_ASK) and keeps it.
 * What a domain gets is a RAM capability retyped from the monitor's pool:
 * when that domain ends, its capability goes and the memory is free in the
 * pool again (the derivation tree keeps the accounts, not this file). A
 * borrowed chunk nobody uses any more goes back to monitor 0 (MON_RAM_RETURN),
 * so that memory one core used once is there for every core again. */
#include "monitor.h"

#include <lmp.h>
#include <proto/monitor.h>
#include <proto/ns.h>
#include <slot_alloc.h>
#include <string.h>
#include <sys.h>

#define BORROW_MIN (16ull << 20) /* what a short monitor asks monitor 0 for, at least */

static err_t pool_frame(uint64_t bytes, capaddr_t slot);
/* RAM it shares out */
static struct table pool_table = {.elem = sizeof(capaddr_t), .make_frame = pool_frame};
static unsigned pool_count;
#define pool ((capaddr_t *)pool_table.items)
static capaddr_t pool_joining; /* the chunk pool_add is adding */
static uint64_t lent;          /* monitor 0: lent to other cores */

/* Monitor 0: the chunks it lent, by address. */
struct loan {
    capaddr_t slot; /* 0: unused */
    uint64_t phys, bytes;
};
static struct table loan_table = MON_TABLE(struct loan);
#define loans ((struct loan *)loan_table.items)

/* Monitor 0 shares out the RAM it was born with. Another monitor keeps its
 * own small RAM for its channel pages (memory.c) and shares out only what it
 * borrowed. */
static bool pool_add(capaddr_t ram)
{
    pool_joining = ram;
    bool fits = mon_table_fit(&pool_table, pool_count + 1);
    pool_joining = 0;
    if (!fits)
        return false;
    pool[pool_count++] = ram;
    return true;
}

/* The pool's own table grows into the monitor's own RAM, or else into the
 * chunk that joins it: a monitor borrows when it has no RAM left, and could
 * not otherwise keep what it borrowed. */
static err_t pool_frame(uint64_t bytes, capaddr_t slot)
{
    err_t err = cap_retype(mon_own_ram(), slot, CAP_FRAME, bytes, NULL);
    if (err == ERR_NOMEM && pool_joining != 0)
        err = cap_retype(pool_joining, slot, CAP_FRAME, bytes, NULL);
    return err == ERR_NOMEM ? mon_frame(bytes, slot) : err;
}

static void pool_init(void)
{
    if (pool_count == 0 && mon.core == 0)
        (void)pool_add(CAP_SLOT_RAM);
}

static err_t pool_retype(uint64_t bytes, capaddr_t slot, uint64_t *base, enum cap_type type)
{
    pool_init();
    for (unsigned i = 0; i < pool_count; i++) {
        if (cap_retype(pool[i], slot, type, bytes, base) == OK)
            return OK;
    }
    return ERR_NOMEM;
}

static err_t borrow(uint64_t bytes);

/* From the pool, borrowing from monitor 0 when it is short. */
static err_t pool_take(uint64_t bytes, capaddr_t slot, uint64_t *base, enum cap_type type)
{
    err_t err = pool_retype(bytes, slot, base, type);
    if (err == ERR_NOMEM && mon.core != 0 && borrow(bytes) == OK)
        err = pool_retype(bytes, slot, base, type);
    return err;
}

bool mon_table_fit(struct table *t, uint32_t n)
{
    err_t err = table_fit(t, n);
    if (err != OK)
        sys_printf("monitor %u: a table of %u entries of %u bytes cannot grow: %s\n", mon.core, n,
                   t->elem, err_str(err));
    return err == OK;
}

err_t mon_frame_at(uint64_t bytes, capaddr_t slot, uint64_t *base)
{
    err_t err = cap_retype(mon_own_ram(), slot, CAP_FRAME, bytes, base);
    if (err == ERR_NOMEM)
        err = pool_take(bytes, slot, base, CAP_FRAME);
    return err;
}

err_t mon_frame(uint64_t bytes, capaddr_t slot) { return mon_frame_at(bytes, slot, NULL); }

/* A loan of bytes from monitor 0, minted into slot. */
static err_t loan(uint64_t bytes, capaddr_t slot)
{
    msg_t m = MSG(MON_RAM_ASK), r;
    msg_payload(&m, struct mon_ram)->bytes = bytes;
    err_t err = mon_ask(0, &m, MON_RAM_LENT, &r);
    const struct mon_ram *got = msg_payload_const(&r, struct mon_ram);
    if (err == OK && got->err != OK)
        err = (err_t)got->err; /* checked by its row */
    if (err == OK)
        err = kernel_mint_ram(CAP_SLOT_KERNEL, slot, got->phys, got->bytes);
    return err;
}

/* Borrows at least bytes from monitor 0 into a new pool entry. */
static err_t borrow(uint64_t bytes)
{
    static bool borrowing; /* growing the pool's table may need RAM too: no loop */
    if (borrowing)
        return ERR_NOMEM;
    borrowing = true;
    capaddr_t slot;
    err_t err = slot_alloc(&slot) == OK ? OK : ERR_NOSPACE;
    if (err == OK) {
        err = loan(bytes > BORROW_MIN ? bytes : BORROW_MIN, slot);
        if (err == ERR_NOMEM && bytes < BORROW_MIN)
            err = loan(bytes, slot); /* the last of it */
        /* The chunk is this core's now; a pool table that cannot grow loses it. */
        if (err == OK && !pool_add(slot))
            err = ERR_NOMEM;
        if (err != OK) {
            (void)cap_delete(slot);
            slot_free(slot);
        }
    }
    borrowing = false;
    return err;
}

/* RAM for a CNode when the monitor's capability space must grow: its own
 * RAM or its pool, or else a loan from monitor 0 of just that size minted
 * straight into the scratch slot. A loan for the pool would need a slot of
 * its own, and there is none until the space has grown. The CNode holds the
 * memory for as long as the monitor lives. */
static err_t cnode_ram(uint64_t bytes, capaddr_t slot)
{
    static bool growing; /* the ask below serves other monitors meanwhile */
    if (cap_retype(mon_own_ram(), slot, CAP_RAM, bytes, NULL) == OK ||
        pool_retype(bytes, slot, NULL, CAP_RAM) == OK)
        return OK;
    if (mon.core == 0 || growing)
        return ERR_NOMEM;
    growing = true;
    err_t err = loan(bytes, slot);
    growing = false;
    return err;
}

/* The monitor's own: lib/sys's would ask the monitor, that is itself. */
err_t cspace_grow(capaddr_t *new_limit) { return cspace_grow_from(cnode_ram, new_limit); }

err_t serve_ns_ram(const msg_t *m, struct mon_call *c)
{
    uint64_t bytes = msg_payload_const(m, struct ns_ram)->bytes;
    struct ns_ram *out = msg_payload(&c->r, struct ns_ram);
    if (bytes == 0 || (bytes & 0xfff) || bytes > (1ull << 46))
        return ERR_INVAL;
    capaddr_t slot;
    if (slot_alloc(&slot) != OK)
        return ERR_NOSPACE;
    err_t err = pool_take(bytes, slot, &out->base, CAP_RAM);
    if (err != OK) {
        slot_free(slot);
        return err;
    }
    out->bytes = bytes;
    if (!devices_may_dma(c->badge)) { /* where memory is, only DMA drivers learn */
        (void)cap_restrict(slot, CAP_RIGHTS_ALL);
        out->base = 0;
    }
    /* It moves: the domain's capability is the RAM's child, free to retype. */
    c->give = slot | LMP_GIVE_MOVE;
    return OK;
}

static void meminfo_here(struct ns_meminfo *info)
{
    pool_init();
    *info = (struct ns_meminfo){.lent = lent};
    for (unsigned i = 0; i < pool_count; i++) {
        struct cap_info c;
        if (cap_identify(pool[i], &c) == OK) {
            info->total += c.size;
            info->free += c.free;
        }
    }
    /* Monitor 0's own part is not shared out: not in the figures. */
    struct cap_info own;
    if (mon_own_ram() != CAP_SLOT_RAM && cap_identify(mon_own_ram(), &own) == OK)
        info->total -= own.size;
    info->total -= lent;
}

err_t serve_ns_meminfo(const msg_t *m, struct mon_call *c)
{
    unsigned core = msg_payload_const(m, struct ns_meminfo_ask)->core;
    if (core >= mon.ncores || !mon.online[core])
        return ERR_INVAL;
    if (core == mon.core) {
        meminfo_here(msg_payload(&c->r, struct ns_meminfo));
        return OK;
    }
    msg_t q = MSG(MON_MEMINFO_ASK), a;
    err_t err = mon_ask(core, &q, MON_MEMINFO, &a);
    if (err == OK)
        *msg_payload(&c->r, struct ns_meminfo) = msg_payload_const(&a, struct mon_meminfo)->info;
    return err;
}

/* Monitor 0 lends a chunk and keeps the capability of it for good. */
err_t serve_mon_ram_ask(unsigned src, const msg_t *m)
{
    const struct mon_ram *req = msg_payload_const(m, struct mon_ram);
    msg_t r = MSG(MON_RAM_LENT);
    struct mon_ram *out = msg_payload(&r, struct mon_ram);
    out->seq = req->seq;
    capaddr_t slot = 0;
    err_t err = slot_alloc(&slot) == OK ? OK : ERR_NOSPACE;
    if (err == OK && mon.core != 0)
        err = ERR_INVAL;
    unsigned i = 0;
    while (err == OK && i < loan_table.cap && loans[i].slot != 0)
        i++;
    if (err == OK && i == loan_table.cap && !mon_table_fit(&loan_table, i + 1))
        err = ERR_NOMEM;
    if (err == OK)
        err = pool_retype(req->bytes, slot, &out->phys, CAP_RAM);
    if (err == OK) {
        out->bytes = req->bytes;
        lent += req->bytes;
        loans[i] = (struct loan){slot, out->phys, req->bytes};
    } else if (slot != 0) {
        slot_free(slot);
    }
    out->err = (uint32_t)err;
    mon_send(src, &r);
    return OK;
}

/* Monitor 0: a chunk comes back; its memory is free in the pool again. */
err_t serve_mon_ram_return(unsigned src, const msg_t *m)
{
    const struct mon_ram *back = msg_payload_const(m, struct mon_ram);
    if (mon.core != 0)
        return OK; /* only monitor 0 lends */
    for (unsigned i = 0; i < loan_table.cap; i++) {
        if (loans[i].slot == 0 || loans[i].phys != back->phys || loans[i].bytes != back->bytes)
            continue;
        (void)cap_delete(loans[i].slot);
        slot_free(loans[i].slot);
        loans[i].slot = 0;
        lent -= back->bytes;
        return OK;
    }
    sys_printf("monitor 0: core %u returned RAM at 0x%lx that was never lent\n", src,
               (unsigned long)back->phys);
    return OK;
}

void ram_return_unused(void)
{
    for (unsigned i = 0; mon.core != 0 && i < pool_count;) {
        struct cap_info c;
        if (cap_identify(pool[i], &c) != OK || c.free != c.size) {
            i++;
            continue;
        }
        /* Nothing is made of it: this core's copy can go, then the loan. */
        (void)cap_delete(pool[i]);
        slot_free(pool[i]);
        pool[i] = pool[--pool_count];
        msg_t m = MSG(MON_RAM_RETURN);
        *msg_payload(&m, struct mon_ram) = (struct mon_ram){.phys = c.base, .bytes = c.size};
        mon_send(0, &m);
    }
}

err_t serve_mon_meminfo_ask(unsigned src, const msg_t *m)
{
    msg_t r = MSG(MON_MEMINFO);
    struct mon_meminfo *out = msg_payload(&r, struct mon_meminfo);
    out->seq = msg_payload_const(m, struct mon_meminfo)->seq;
    meminfo_here(&out->info);
    mon_send(src, &r);
    return OK;
}
