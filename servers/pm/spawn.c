/* spawn.c — starting and ending processes through the monitors. A client
 * stages its spawn_blob (argv and environment) in pieces (PM_ARGS), then asks
 * for PM_SPAWN; PM checks the blob, copies it into its argument frame and asks
 * its monitor (NS_SPAWN, watched) to start the module on the chosen core. */
#include "pm.h"

#include <lmp.h>
#include <proc_abi.h>
#include <slot_alloc.h>
#include <string.h>
#include <sys.h>
#include <va_layout.h>

static capaddr_t args_slot;
static struct spawn_blob *args; /* PM's frame the monitors read */
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

int spawn_stage(struct client *c, const struct pm_args *a)
{
    if (a->offset == 0)
        c->staged = 0;
    if (a->len > PM_ARGS_DATA || a->offset != c->staged)
        return PM_EINVAL;
    if (a->offset + a->len > PM_BLOB_MAX)
        return PM_E2BIG;
    memcpy(c->blob + a->offset, a->data, a->len);
    c->staged += a->len;
    return 0;
}

/* The blob's argv and environment are well formed and within bounds. */
static int check_blob(const uint8_t *blob, uint32_t bytes)
{
    const struct spawn_blob *b = (const struct spawn_blob *)blob;
    if (bytes < sizeof *b || b->bytes != bytes - sizeof *b)
        return PM_EINVAL;
    if (b->argc == 0)
        return PM_EINVAL;
    if (b->argc > SPAWN_ARGS_MAX || b->envc > SPAWN_ENV_MAX)
        return PM_E2BIG;
    const uint8_t *p = blob + sizeof *b, *end = blob + bytes;
    for (unsigned i = 0; i < (unsigned)b->argc + b->envc; i++) {
        const uint8_t *nul = memchr(p, '\0', (size_t)(end - p));
        if (nul == NULL)
            return PM_EINVAL;
        p = nul + 1;
    }
    return p == end ? 0 : PM_EINVAL;
}

static int errno_of(err_t err)
{
    switch (err) {
    case OK:
        return 0;
    case ERR_NOENT:
        return PM_ENOENT;
    case ERR_NOMEM:
    case ERR_NOSPACE:
        return PM_EAGAIN;
    case ERR_RANGE:
        return PM_E2BIG;
    case ERR_PERM:
        return PM_EPERM;
    default:
        return PM_EINVAL;
    }
}

int spawn_request(struct client *c, const struct pm_spawn *req, int32_t *pid)
{
    size_t len = strnlen(req->module, NS_MODULE_MAX);
    if (len == 0 || len == NS_MODULE_MAX)
        return PM_EINVAL;
    if (req->core != PM_CORE_ANY && (req->core < 0 || (unsigned)req->core >= pm_ncores))
        return PM_EINVAL;
    if (req->bytes != 0) {
        if (req->bytes != c->staged)
            return PM_EFAULT; /* it names bytes it never sent */
        int e = check_blob(c->blob, req->bytes);
        if (e != 0)
            return e;
    }
    struct proc *p = proc_alloc();
    if (p == NULL)
        return PM_EAGAIN;
    msg_t m = MSG(NS_SPAWN), r;
    struct ns_spawn *s = msg_payload(&m, struct ns_spawn);
    s->core = req->core == PM_CORE_ANY ? pick_core() : (unsigned)req->core;
    s->flags = NS_SPAWN_WATCH;
    memcpy(s->module, req->module, len + 1);
    capaddr_t give = 0;
    if (req->bytes != 0) {
        memcpy(args, c->blob, req->bytes);
        give = args_slot;
    }
    c->staged = 0;
    err_t err = lmp_call(CAP_SLOT_MONITOR, &m, &r, give, 0);
    if (err == OK)
        err = (err_t)r.type;
    if (err != OK) {
        proc_free(p);
        return errno_of(err);
    }
    const struct ns_spawned *got = msg_payload_const(&r, struct ns_spawned);
    p->ppid = c->pid;
    p->core = got->core;
    p->domain = got->domain;
    p->state = PM_RUNNING;
    memcpy(p->name, req->module, len + 1);
    *pid = p->pid;
    return 0;
}

int spawn_kill(const struct proc *p, unsigned signal)
{
    msg_t m = MSG(NS_KILL), r;
    struct ns_kill *k = msg_payload(&m, struct ns_kill);
    k->core = p->core;
    k->domain = p->domain;
    k->signal = signal;
    err_t err = lmp_call(CAP_SLOT_MONITOR, &m, &r, 0, 0);
    if (err == OK)
        err = (err_t)r.type;
    return err == ERR_NOENT ? 0 : errno_of(err); /* ending already: its end is on the way */
}
