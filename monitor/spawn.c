/* spawn.c — the spawn service: a domain asks its monitor (NS_SPAWN) to start a
 * module of the boot archive, or a program image it brings in a frame, on any
 * core. On this core the monitor asks its CPU
 * driver; on another it asks that core's monitor (MON_SPAWN) and waits for the
 * answer, serving its other channels meanwhile but no local requests (it owes
 * this one a reply). */
#include "monitor.h"

#include <lmp.h>
#include <proto/monitor.h>
#include <proto/ns.h>
#include <slot_alloc.h>
#include <string.h>
#include <sys.h>

/* A request can come before this monitor knows which cores are online. */
static bool online(unsigned core)
{
    mesh_wait_online();
    return core == mon.core || mon.online[core];
}

/* Frames of arguments, mapped once: a spawner keeps using the same one. */
struct args_frame {
    uint64_t phys;
    uintptr_t va;
};
static struct table args_table = MON_TABLE(struct args_frame);
#define args_cache ((struct args_frame *)args_table.items)

static const struct spawn_blob *args_at(uint64_t phys)
{
    unsigned i = 0;
    for (; i < args_table.cap && args_cache[i].phys != 0; i++) {
        if (args_cache[i].phys == phys)
            return (const struct spawn_blob *)args_cache[i].va;
    }
    if (i == args_table.cap && !mon_table_fit(&args_table, i + 1))
        return NULL;
    capaddr_t slot;
    if (slot_alloc(&slot) != OK)
        return NULL;
    uintptr_t va = 0;
    if (kernel_mint_frame(CAP_SLOT_KERNEL, slot, phys, SPAWN_BLOB_MAX) == OK)
        va = mon_map(slot, SPAWN_BLOB_MAX);
    if (va == 0) {
        (void)cap_delete(slot);
        slot_free(slot);
        return NULL;
    }
    args_cache[i].phys = phys;
    args_cache[i].va = va;
    return (const struct spawn_blob *)va;
}

/* A program from a file: the kernel reads blob and image from a frame this
 * monitor makes of them for as long as the call lasts. */
static err_t spawn_image_here(const char *module, uint64_t phys, uint32_t image, uint32_t *domain)
{
    if (phys == 0 || (phys & 0xfff))
        return ERR_INVAL;
    capaddr_t slot;
    err_t err = slot_alloc(&slot);
    if (err != OK)
        return err;
    uint64_t bytes = SPAWN_BLOB_MAX + (((uint64_t)image + 0xfff) & ~0xfffull);
    if ((err = kernel_mint_frame(CAP_SLOT_KERNEL, slot, phys, bytes)) == OK) {
        err = kernel_spawn_frame(CAP_SLOT_KERNEL, module, slot, domain);
        (void)cap_delete(slot);
    }
    slot_free(slot);
    return err;
}

err_t spawn_here(const char *module, uint64_t args_phys, uint32_t image, bool watch,
                 unsigned watcher_core, uint32_t *domain)
{
    if (image != 0) {
        err_t err = spawn_image_here(module, args_phys, image, domain);
        if (err == OK && watch)
            procs_watch(*domain, watcher_core);
        return err; /* nothing of the boot archive's: no device to give */
    }
    const struct spawn_blob *blob = NULL;
    size_t bytes = 0;
    if (args_phys != 0) {
        if ((args_phys & 0xfff) || (blob = args_at(args_phys)) == NULL)
            return ERR_INVAL;
        if (blob->bytes > SPAWN_BLOB_MAX - sizeof *blob)
            return ERR_RANGE;
        bytes = sizeof *blob + blob->bytes; /* the kernel checks the rest */
    }
    err_t err = kernel_spawn(CAP_SLOT_KERNEL, module, blob, bytes, domain);
    if (err == OK)
        devices_spawned(module, *domain);
    if (err == OK && watch)
        procs_watch(*domain, watcher_core);
    return err;
}

static err_t spawn_remote(unsigned core, const char *module, uint64_t args_phys, uint32_t image,
                          uint32_t flags, uint32_t *domain)
{
    msg_t m = MSG(MON_SPAWN), r;
    struct mon_spawn *s = msg_payload(&m, struct mon_spawn);
    s->flags = flags;
    s->args_phys = args_phys;
    s->image = image;
    memcpy(s->module, module, NS_MODULE_MAX);
    err_t err = mon_ask(core, &m, MON_SPAWNED, &r);
    if (err != OK)
        return err;
    const struct mon_spawned *a = msg_payload_const(&r, struct mon_spawned);
    *domain = a->domain;
    return (err_t)a->err; /* checked by its row */
}

/* The frame of arguments (and image) that came with a request: where it is. */
static err_t args_frame(capaddr_t slot, uint32_t image, uint64_t *phys)
{
    struct cap_info info;
    err_t err = cap_identify(slot, &info);
    if (err == OK && (info.type != CAP_FRAME || info.size < SPAWN_BLOB_MAX + (uint64_t)image))
        err = ERR_INVAL;
    *phys = info.base;
    (void)cap_delete(slot); /* this monitor maps its own capability of it */
    return err;
}

err_t serve_ns_spawn(const msg_t *m, struct mon_call *c)
{
    const struct ns_spawn *req = msg_payload_const(m, struct ns_spawn);
    struct ns_spawned *out = msg_payload(&c->r, struct ns_spawned);
    uint64_t args_phys = 0;
    uint32_t image = req->flags & NS_SPAWN_IMAGE ? req->image : 0;
    err_t err = c->got_cap ? args_frame(names_take_slot(), image, &args_phys) : OK;
    if (err == OK && (req->flags & NS_SPAWN_IMAGE) && (image == 0 || !c->got_cap))
        err = ERR_INVAL; /* an image comes in the frame, after the arguments */
    /* Only the watcher's own spawns are watched. */
    uint32_t flags = procs_is_watcher(c->badge) ? req->flags & NS_SPAWN_WATCH : 0;
    flags |= req->flags & NS_SPAWN_IMAGE;
    if (err == OK && req->core >= mon.ncores)
        err = ERR_INVAL;
    if (err == OK && !online(req->core))
        err = ERR_DEAD;
    if (err == OK && req->core == mon.core)
        err = spawn_here(req->module, args_phys, image, flags & NS_SPAWN_WATCH, mon.core,
                         &out->domain);
    else if (err == OK)
        err = spawn_remote(req->core, req->module, args_phys, image, flags, &out->domain);
    /* A missing program, or a file that is none, is an answer, not a fault. */
    if (err != OK && err != ERR_NOENT && err != ERR_NOEXEC)
        sys_printf("monitor %u: spawn of %s on core %u for domain %u refused: %s\n", mon.core,
                   req->module, req->core, c->badge, err_str(err));
    out->core = req->core;
    return err;
}

err_t serve_mon_spawn(unsigned src, const msg_t *m)
{
    const struct mon_spawn *s = msg_payload_const(m, struct mon_spawn);
    msg_t r = MSG(MON_SPAWNED);
    struct mon_spawned *a = msg_payload(&r, struct mon_spawned);
    a->seq = s->seq;
    uint32_t image = s->flags & NS_SPAWN_IMAGE ? s->image : 0;
    a->err = spawn_here(s->module, s->args_phys, image, s->flags & NS_SPAWN_WATCH, src, &a->domain);
    mon_send(src, &r);
    return OK;
}
