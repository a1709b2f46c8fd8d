/* spawn.c — starting and ending processes through the monitors. A client
 * writes its spawn_blob (argv and environment) into the frame it granted PM,
 * then asks for PM_SPAWN; PM copies the blob into its own argument frame,
 * checks it there and asks its monitor (NS_SPAWN, watched) to start the
 * module on the chosen core. A program from a file comes as its ELF image in
 * the grant after the blob: PM copies blob and image into a frame of its own
 * (the client cannot change or take back what the kernel reads) and the
 * monitors start that. */
#include "pm.h"

#include <ns_calls.h>
#include <proc_abi.h>
#include <ram.h>
#include <slot_alloc.h>
#include <string.h>
#include <sys.h>
#include <va_layout.h>

static capaddr_t args_slot;
static struct spawn_blob *args; /* PM's frame the monitors read */

/* The frame for programs from files: the blob, then at SPAWN_BLOB_MAX the
 * image; as large as the largest program so far. */
static struct {
    capaddr_t ram, frame;
    uint8_t *va;
    uint64_t bytes;
} image;
static bool any_core[256];
static unsigned any_next;

void spawn_init(void)
{
    uintptr_t va;
    if (slot_alloc(&args_slot) != OK || va_alloc(SPAWN_BLOB_MAX, &va) != OK ||
        cap_retype(CAP_SLOT_RAM, args_slot, CAP_FRAME, SPAWN_BLOB_MAX, NULL) != OK ||
        frame_map(args_slot, va, 1) != OK) {
        sys_printf("pm: no memory for the argument frame\n");
        sys_exit(1);
    }
    args = (struct spawn_blob *)va;
}

/* "2,3": the cores for PM_CORE_ANY; none given, or none online: all cores. */
void spawn_set_any(const char *list)
{
    unsigned n = 0;
    bool have = false;
    for (const char *p = list;; p++) {
        if (*p >= '0' && *p <= '9') {
            n = n * 10 + (unsigned)(*p - '0');
            have = true;
            continue;
        }
        if (have && n < pm_ncores && n < 256)
            any_core[n] = true;
        n = 0;
        have = false;
        if (*p == '\0')
            break;
    }
}

static unsigned pick_core(void)
{
    for (unsigned k = 0; k < pm_ncores; k++) {
        unsigned c = (any_next + k) % pm_ncores;
        if (any_core[c]) {
            any_next = c + 1;
            return c;
        }
    }
    return any_next++ % pm_ncores;
}

/* The blob's argv and environment are well formed and within bounds. */
static err_t check_blob(const uint8_t *blob, uint32_t bytes)
{
    const struct spawn_blob *b = (const struct spawn_blob *)blob;
    if (bytes < sizeof *b || b->bytes != bytes - sizeof *b)
        return ERR_INVAL;
    if (b->argc == 0)
        return ERR_INVAL;
    if (b->argc > SPAWN_ARGS_MAX || b->envc > SPAWN_ENV_MAX)
        return ERR_TOOBIG;
    const uint8_t *p = blob + sizeof *b, *end = blob + bytes;
    for (unsigned i = 0; i < (unsigned)b->argc + b->envc; i++) {
        const uint8_t *nul = memchr(p, '\0', (size_t)(end - p));
        if (nul == NULL)
            return ERR_INVAL;
        p = nul + 1;
    }
    return p == end ? OK : ERR_INVAL;
}

static void image_drop(void)
{
    if (image.frame != 0) {
        (void)cap_delete(image.frame); /* unmaps it */
        slot_free(image.frame);
    }
    if (image.va != NULL)
        va_free((uintptr_t)image.va, image.bytes);
    if (image.ram != 0) {
        (void)cap_delete(image.ram);
        slot_free(image.ram);
    }
    image.frame = image.ram = 0;
    image.va = NULL;
    image.bytes = 0;
}

/* An image frame with room for blob and image of the given bytes. */
static err_t image_room(uint32_t bytes)
{
    uint64_t need = SPAWN_BLOB_MAX + (((uint64_t)bytes + 0xfff) & ~0xfffull);
    if (need <= image.bytes)
        return OK;
    image_drop();
    uintptr_t va = 0;
    err_t err = slot_alloc(&image.ram);
    if (err == OK && (err = slot_alloc(&image.frame)) != OK)
        image.frame = 0;
    if (err == OK && (err = ram_alloc(need, image.ram, NULL)) == OK &&
        (err = cap_retype(image.ram, image.frame, CAP_FRAME, need, NULL)) == OK &&
        (err = va_alloc(need, &va)) == OK) {
        image.va = (uint8_t *)va;
        image.bytes = need;
        err = frame_map(image.frame, va, 1);
    }
    if (err != OK)
        image_drop();
    return err;
}

/* The client's image and blob copied into PM's image frame. */
static err_t image_take(const struct srv_client *c, const struct pm_spawn *req)
{
    err_t err = image_room(req->image);
    for (uint64_t at = 0; err == OK && at < req->image;) {
        uint64_t piece = req->image - at < (1u << 20) ? req->image - at : (1u << 20);
        err = srv_grant_read(c, PM_BLOB_MAX + at, image.va + SPAWN_BLOB_MAX + at, piece);
        at += piece;
    }
    if (err == ERR_NOENT || err == ERR_RANGE)
        return ERR_FAULT; /* it names bytes it never granted */
    if (err != OK)
        return err;
    struct spawn_blob *b = (struct spawn_blob *)image.va;
    if (req->bytes != 0) {
        memcpy(b, args, req->bytes);
        return OK;
    }
    size_t len = strlen(req->module) + 1; /* argv is just the name */
    *b = (struct spawn_blob){.argc = 1, .envc = 0, .bytes = (uint32_t)len};
    memcpy(b + 1, req->module, len);
    return OK;
}

err_t spawn_request(const struct srv_client *c, int32_t parent, const struct pm_spawn *req,
                    int32_t *pid)
{
    size_t len = strlen(req->module); /* the protocol's check: it ends within module */
    if (req->core != PM_CORE_ANY && (unsigned)req->core >= pm_ncores)
        return ERR_INVAL;
    if (req->bytes != 0) {
        /* A copy first: the client may change its grant while PM looks. */
        err_t err = srv_grant_read(c, 0, args, req->bytes);
        if (err == ERR_NOENT || err == ERR_RANGE)
            return ERR_FAULT; /* it names bytes it never granted */
        if (err == OK)
            err = check_blob((const uint8_t *)args, req->bytes);
        if (err != OK)
            return err;
    }
    if (req->image != 0) {
        err_t err = image_take(c, req);
        if (err != OK)
            return err;
    }
    struct proc *p = proc_alloc();
    if (p == NULL)
        return ERR_NOMEM;
    struct ns_spawn s = {.flags = NS_SPAWN_WATCH};
    s.core = req->core == PM_CORE_ANY ? pick_core() : (unsigned)req->core;
    memcpy(s.module, req->module, len + 1);
    capaddr_t frame = req->bytes != 0 ? args_slot : 0;
    if (req->image != 0) {
        s.flags |= NS_SPAWN_IMAGE;
        s.image = req->image;
        frame = image.frame;
    }
    struct ns_spawned got;
    err_t err = ns_spawn(&s, &got, frame, 0);
    if (err != OK) {
        proc_free(p);
        return err;
    }
    p->ppid = parent;
    p->core = got.core;
    p->domain = got.domain;
    p->state = PM_RUNNING;
    memcpy(p->name, req->module, len + 1);
    *pid = p->pid;
    return OK;
}

err_t spawn_kill(const struct proc *p, unsigned signal)
{
    err_t err = ns_kill(&(struct ns_kill){p->core, p->domain, signal}, NULL, 0, 0);
    return err == ERR_NOENT ? OK : err; /* ending already: its end is on the way */
}
