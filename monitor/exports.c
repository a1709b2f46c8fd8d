/* exports.c — frames shared across cores, and their revoke. A domain exports
 * a frame through its monitor (NS_EXPORT): the monitor keeps a copy of it,
 * marked exported in its CPU driver, so that it stays in that core's
 * derivation tree below the domain's frame. A domain on any core imports it
 * (NS_IMPORT): its monitor asks the owner's (MON_IMPORT), makes its own frame
 * capability of that memory and gives the domain a copy. When a revoke on the
 * owner's core reaches an exported copy, the CPU driver deletes nothing, marks
 * the copy and tells this monitor (NOTIFY_REVOKE); the monitor has every
 * importing core delete its frame and everything made from it (MON_UNIMPORT),
 * waits until each has answered, then deletes its copy; the revoke, asked
 * again, then completes on the owner's core. docs/capabilities.md. */
#include "monitor.h"

#include <lmp.h>
#include <proto/monitor.h>
#include <proto/ns.h>
#include <slot_alloc.h>
#include <string.h>
#include <sys.h>

struct export_rec {
    capaddr_t slot; /* 0: unused */
    uint32_t id;
    uint32_t domain; /* the exporter: its exports go when it ends */
    uint64_t phys, bytes;
    uint8_t importers[MON_ONLINE_BYTES]; /* a bit per core that made a frame of it */
};
static struct table export_table = MON_TABLE(struct export_rec);
#define exports     ((struct export_rec *)export_table.items)
#define EXPORTS_MAX export_table.cap
static uint32_t next_id = 1;

struct import_rec {
    capaddr_t slot; /* this monitor's frame of it; 0: unused */
    unsigned owner;
    uint32_t id;
};
static struct table import_table = MON_TABLE(struct import_rec);
#define imports     ((struct import_rec *)import_table.items)
#define IMPORTS_MAX import_table.cap

static struct export_rec *export_by_id(uint32_t id)
{
    for (unsigned i = 0; i < EXPORTS_MAX; i++) {
        if (exports[i].slot != 0 && exports[i].id == id)
            return &exports[i];
    }
    return NULL;
}

static err_t do_export(capaddr_t take, uint32_t domain, struct ns_export *out)
{
    struct cap_info info;
    if (cap_identify(take, &info) != OK || info.type != CAP_FRAME)
        return ERR_INVAL;
    unsigned i = 0;
    while (i < EXPORTS_MAX && exports[i].slot != 0)
        i++;
    if (i == EXPORTS_MAX && !mon_table_fit(&export_table, i + 1))
        return ERR_NOMEM;
    struct export_rec *e = &exports[i];
    capaddr_t slot;
    if (slot_alloc(&slot) != OK)
        return ERR_NOSPACE;
    /* A copy of the domain's copy: once the latter goes (mon_answer), this
     * one takes its place, right below the domain's frame. */
    err_t err = cap_copy(take, slot, CAP_RIGHTS_ALL);
    if (err == OK && (err = kernel_export(CAP_SLOT_KERNEL, slot)) != OK)
        (void)cap_delete(slot);
    if (err != OK) {
        slot_free(slot);
        return err;
    }
    *e = (struct export_rec){
        .slot = slot, .id = next_id++, .domain = domain, .phys = info.base, .bytes = info.size};
    *out = (struct ns_export){.core = mon.core, .id = e->id, .bytes = e->bytes};
    return OK;
}

/* The owner's side of an import by core. */
static err_t lend(unsigned core, uint32_t id, uint64_t *phys, uint64_t *bytes)
{
    struct export_rec *e = export_by_id(id);
    if (e == NULL)
        return ERR_NOENT;
    e->importers[core / 8] |= (uint8_t)(1u << (core % 8));
    *phys = e->phys;
    *bytes = e->bytes;
    return OK;
}

static err_t do_import(unsigned owner, uint32_t id, capaddr_t *give, struct ns_export *out)
{
    if (owner >= mon.ncores || !mon.online[owner])
        return ERR_INVAL;
    unsigned i = 0;
    while (i < IMPORTS_MAX && imports[i].slot != 0)
        i++;
    if (i == IMPORTS_MAX && !mon_table_fit(&import_table, i + 1))
        return ERR_NOMEM;
    struct import_rec *im = &imports[i]; /* the table does not grow while it is being filled */
    uint64_t phys, bytes;
    err_t err;
    if (owner == mon.core) {
        err = lend(mon.core, id, &phys, &bytes);
    } else {
        msg_t m = MSG(MON_IMPORT), r;
        msg_payload(&m, struct mon_export)->id = id;
        err = mon_ask(owner, &m, MON_IMPORTED, &r);
        const struct mon_export *a = msg_payload_const(&r, struct mon_export);
        if (err == OK)
            err = (err_t)a->err; /* checked by its row */
        phys = a->phys;
        bytes = a->bytes;
    }
    capaddr_t slot;
    if (err == OK && slot_alloc(&slot) != OK)
        err = ERR_NOSPACE;
    if (err != OK)
        return err;
    if ((err = kernel_mint_frame(CAP_SLOT_KERNEL, slot, phys, bytes)) != OK) {
        slot_free(slot);
        return err;
    }
    *im = (struct import_rec){.slot = slot, .owner = owner, .id = id};
    *give = slot;
    *out = (struct ns_export){.core = owner, .id = id, .bytes = bytes};
    return OK;
}

/* An importer's side of a revoke: its frame and everything made of it go. */
static err_t unimport(unsigned owner, uint32_t id)
{
    for (unsigned i = 0; i < IMPORTS_MAX; i++) {
        struct import_rec *im = &imports[i];
        if (im->slot == 0 || im->owner != owner || im->id != id)
            continue;
        err_t err = cap_revoke(im->slot);
        (void)cap_delete(im->slot);
        slot_free(im->slot);
        im->slot = 0;
        if (err != OK)
            return err;
    }
    return OK;
}

/* Takes export e back from every core that imported it, then drops it. */
static err_t take_back(struct export_rec *e)
{
    for (unsigned core = 0; core < mon.ncores; core++) {
        if (!(e->importers[core / 8] & (1u << (core % 8))))
            continue;
        err_t err;
        if (core == mon.core) {
            err = unimport(mon.core, e->id);
        } else {
            msg_t m = MSG(MON_UNIMPORT), r;
            msg_payload(&m, struct mon_export)->id = e->id;
            err = mon_ask(core, &m, MON_UNIMPORTED, &r);
            if (err == OK)
                err = (err_t)msg_payload_const(&r, struct mon_export)->err;
        }
        if (err != OK) {
            sys_printf("monitor %u: core %u did not give export %u back: %s\n", mon.core, core,
                       e->id, err_str(err));
            return err; /* the revoke stays waiting; asking again tries again */
        }
        e->importers[core / 8] &= (uint8_t) ~(1u << (core % 8));
    }
    (void)cap_delete(e->slot);
    slot_free(e->slot);
    e->slot = 0;
    return OK;
}

/* A domain ended: what it exported is taken back from every core, so that
 * its memory goes back with the rest of its own (a frame it only deleted, or
 * that its end deleted, would stay held by the monitor's copy). */
void exports_domain_ended(uint32_t domain)
{
    for (unsigned i = 0; i < EXPORTS_MAX; i++) {
        if (exports[i].slot != 0 && exports[i].domain == domain)
            (void)take_back(&exports[i]);
    }
}

err_t exports_revoke_pending(void)
{
    err_t result = OK;
    capaddr_t from = 1, slot;
    while (kernel_revoking(CAP_SLOT_KERNEL, from, &slot) == OK && slot != 0) {
        from = slot + 1;
        struct export_rec *e = NULL;
        for (unsigned i = 0; i < EXPORTS_MAX && e == NULL; i++)
            e = exports[i].slot == slot ? &exports[i] : NULL;
        err_t err = e != NULL ? take_back(e) : ERR_NOENT;
        if (err != OK)
            result = err;
    }
    return result;
}

err_t serve_ns_export(const msg_t *m, struct mon_call *c)
{
    (void)m;
    return c->got_cap ? do_export(names_take_slot(), c->badge, msg_payload(&c->r, struct ns_export))
                      : ERR_INVAL;
}

/* The domain gets a copy; the monitor keeps its frame. */
err_t serve_ns_import(const msg_t *m, struct mon_call *c)
{
    const struct ns_export *q = msg_payload_const(m, struct ns_export);
    c->keep = true;
    return do_import(q->core, q->id, &c->give, msg_payload(&c->r, struct ns_export));
}

err_t serve_ns_revoke_wait(const msg_t *m, struct mon_call *c)
{
    (void)m, (void)c;
    return exports_revoke_pending();
}

/* The owner's and an importer's sides of MON_IMPORT and MON_UNIMPORT. */
static void answer(unsigned src, const msg_t *m, msg_t r, bool import)
{
    const struct mon_export *q = msg_payload_const(m, struct mon_export);
    struct mon_export *a = msg_payload(&r, struct mon_export);
    a->seq = q->seq;
    a->id = q->id;
    a->err = (uint32_t)(import ? lend(src, q->id, &a->phys, &a->bytes) : unimport(src, q->id));
    mon_send(src, &r);
}

err_t serve_mon_import(unsigned src, const msg_t *m)
{
    answer(src, m, MSG(MON_IMPORTED), true);
    return OK;
}

err_t serve_mon_unimport(unsigned src, const msg_t *m)
{
    answer(src, m, MSG(MON_UNIMPORTED), false);
    return OK;
}
