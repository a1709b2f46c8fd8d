/* pm.c — the process manager (PM): process ids and parents, spawn, exit
 * status and wait, kill, and the process table for ps. Processes reach it over
 * channels of their own; the monitors tell it how the domains it started
 * ended. A bad request gets an errno and never disturbs anyone else.
 *
 * argv: pm INIT_CORE.INIT_DOMAIN [any=CORE,CORE...] — init is pid 1. */
#include "pm.h"

#include <lmp.h>
#include <proc_abi.h>
#include <slot_alloc.h>
#include <string.h>
#include <sys.h>

#define LOOKUP_WAIT 30000000000ull

unsigned pm_ncores;
static int32_t pm_pid;
/* Channels from processes: as many as PM's memory holds. */
static struct table client_table = {.elem = sizeof(struct client)};
#define clients    ((struct client *)client_table.items)
#define CLIENT_MAX client_table.cap
static struct chanset set;
static capaddr_t take; /* where the next client's channel frame lands; 0: no slot free */

/* A slot for the next capability that comes in, if there is none. */
static void refill_take(void)
{
    if (take == 0 && slot_alloc(&take) != OK)
        take = 0;
}

static struct client *client_of(const struct chan *ch)
{
    for (unsigned i = 0; i < CLIENT_MAX; i++) {
        if (clients[i].used && &clients[i].chan == ch)
            return &clients[i];
    }
    return NULL;
}

static void answer(struct client *c, const msg_t *r)
{
    if (chan_try_send(&c->chan, r) != OK)
        sys_printf("pm: pid %d does not read its answers; one dropped\n", (int)c->pid);
}

/* A new client: its channel, and which process it is. */
static void drop_client(struct client *c);

/* Room for one more client. A table that grew moved its clients: the set of
 * channels is made again from it. */
static err_t client_room(unsigned *at)
{
    unsigned i = 0;
    while (i < CLIENT_MAX && clients[i].used)
        i++;
    *at = i;
    if (i < CLIENT_MAX)
        return OK;
    err_t err = table_fit(&client_table, i + 1);
    if (err != OK)
        return err;
    set.count = 0;
    for (unsigned k = 0; k < i && err == OK; k++)
        err = chanset_add(&set, &clients[k].chan); /* no growth: it held them all before */
    return err;
}

static void accept_client(const msg_t *m)
{
    unsigned i;
    err_t err = client_room(&i);
    if (err != OK) {
        sys_printf("pm: a client refused: %s\n", err_str(err));
        (void)cap_delete(take);
        return;
    }
    struct client *c = &clients[i];
    memset(c, 0, sizeof *c);
    if (chan_accept(m, &c->chan, take) != OK) {
        (void)cap_delete(take);
        return;
    }
    c->used = true;
    const struct proc *p = proc_by_domain(c->chan.peer_core, c->chan.peer_domain);
    c->pid = p != NULL ? p->pid : 0;
    take = 0; /* the channel has it now */
    if ((err = chanset_add(&set, &c->chan)) != OK) {
        sys_printf("pm: a client refused: %s\n", err_str(err));
        drop_client(c);
        return;
    }
    refill_take();
}

static void drop_client(struct client *c)
{
    chanset_remove(&set, &c->chan);
    chan_drop(&c->chan); /* unmaps it; its slot and address go back */
    c->used = false;
    refill_take();
}

/* A client's process ended (its monitor says): its channels go, so that their
 * pages can be used again. */
static void disconnected(const msg_t *m)
{
    const struct ns_peer *p = msg_payload_const(m, struct ns_peer);
    for (unsigned i = 0; i < CLIENT_MAX; i++) {
        struct client *c = &clients[i];
        if (c->used && c->chan.peer_core == p->core && c->chan.peer_domain == p->domain)
            drop_client(c);
    }
    (void)chan_closed(m);
}

static void fill_waited(msg_t *r, const struct proc *z)
{
    struct pm_waited *w = msg_payload(r, struct pm_waited);
    w->pid = z->pid;
    w->status = z->status;
    w->signal = z->signal;
}

/* A waiting parent whose wait z answers, if any. */
static struct client *waiter_for(const struct proc *z)
{
    for (unsigned i = 0; i < CLIENT_MAX; i++) {
        struct client *c = &clients[i];
        if (c->used && c->waiting && c->pid == z->ppid &&
            (c->wait_for == -1 || c->wait_for == z->pid))
            return c;
    }
    return NULL;
}

static void on_death(const struct ns_death *d)
{
    struct proc *p = proc_by_domain(d->core, d->domain);
    if (p == NULL)
        return;
    for (unsigned i = 0; i < CLIENT_MAX; i++) {
        if (clients[i].used && clients[i].pid == p->pid)
            drop_client(&clients[i]);
    }
    proc_orphan_children(p->pid);
    p->state = PM_ZOMBIE;
    p->status = d->status;
    p->signal = d->signal;
    struct client *w = waiter_for(p);
    if (w != NULL) {
        msg_t r = {.type = 0};
        fill_waited(&r, p);
        w->waiting = false;
        answer(w, &r);
        proc_free(p);
    } else if (p->ppid == 0 || proc_by_pid(p->ppid) == NULL) {
        proc_free(p); /* no one will ever wait for it */
    }
}

static void reap(void)
{
    for (;;) {
        msg_t m = MSG(NS_REAP), r;
        if (lmp_call(CAP_SLOT_MONITOR, &m, &r, 0, 0) != OK || r.type != OK)
            return;
        const struct ns_deaths *ds = msg_payload_const(&r, struct ns_deaths);
        if (ds->count == 0 || ds->count > NS_DEATHS_MAX)
            return;
        for (unsigned i = 0; i < ds->count; i++)
            on_death(&ds->d[i]);
    }
}

static int do_wait(struct client *c, const struct pm_wait *w, msg_t *r)
{
    if (w->pid < -1 || w->pid == 0 || (w->flags & ~(uint32_t)PM_WNOHANG))
        return PM_EINVAL;
    if (c->waiting)
        return PM_EINVAL; /* one wait at a time per channel */
    bool has_child;
    struct proc *z = proc_zombie_child(c->pid, w->pid, &has_child);
    if (!has_child || c->pid == 0)
        return PM_ECHILD;
    if (z != NULL) {
        fill_waited(r, z);
        proc_free(z);
        return 0;
    }
    if (w->flags & PM_WNOHANG) {
        msg_payload(r, struct pm_waited)->pid = 0;
        return 0;
    }
    c->waiting = true;
    c->wait_for = w->pid;
    return -1; /* answered when a child ends */
}

static int do_kill(const struct pm_kill *k)
{
    if (k->pid <= 0 || k->signal >= 64)
        return PM_EINVAL;
    struct proc *p = proc_by_pid(k->pid);
    if (p == NULL || p->state == PM_ZOMBIE)
        return PM_ESRCH;
    if (k->signal == 0)
        return 0; /* only: does it exist? */
    if (p->pid == PID_INIT || p->pid == pm_pid)
        return PM_EPERM;
    return spawn_kill(p, k->signal);
}

/* A table entry into the answer; PM_ESRCH if there is none. */
static int describe(const struct proc *p, msg_t *r)
{
    if (p == NULL)
        return PM_ESRCH;
    struct pm_proc *o = msg_payload(r, struct pm_proc);
    *o = (struct pm_proc){p->pid, p->ppid, p->core, p->domain, p->state, {0}};
    memcpy(o->name, p->name, sizeof o->name);
    return 0;
}

static void handle(struct client *c, const msg_t *m)
{
    msg_t r = {.type = 0};
    int e;
    switch (m->type) {
    case PM_GETPID: {
        const struct proc *p = proc_by_pid(c->pid);
        e = p == NULL ? PM_ESRCH : 0;
        if (p != NULL)
            *msg_payload(&r, struct pm_ids) = (struct pm_ids){p->pid, p->ppid};
        break;
    }
    case PM_ARGS:
        e = spawn_stage(c, msg_payload_const(m, struct pm_args));
        break;
    case PM_SPAWN: {
        int32_t pid = 0;
        e = spawn_request(c, msg_payload_const(m, struct pm_spawn), &pid);
        msg_payload(&r, struct pm_ids)->pid = pid;
        break;
    }
    case PM_WAIT:
        e = do_wait(c, msg_payload_const(m, struct pm_wait), &r);
        if (e < 0)
            return;
        break;
    case PM_KILL:
        e = do_kill(msg_payload_const(m, struct pm_kill));
        break;
    case PM_PS:
        e = describe(proc_nth(msg_payload_const(m, struct pm_ps)->index), &r);
        break;
    case PM_WHO: {
        const struct pm_who *w = msg_payload_const(m, struct pm_who);
        e = describe(proc_by_domain(w->core, w->domain), &r);
        break;
    }
    default:
        e = PM_ENOSYS;
        break;
    }
    r.type = (uint16_t)e;
    answer(c, &r);
}

/* init (pid 1) and PM itself (pid 2, a child of init) are in the table from
 * the start: init started both through the monitors, not through PM. */
static bool add_boot_processes(const char *init_arg)
{
    unsigned core = 0, domain = 0;
    const char *p = init_arg;
    while (*p >= '0' && *p <= '9')
        core = core * 10 + (unsigned)(*p++ - '0');
    if (*p == '.')
        p++;
    while (*p >= '0' && *p <= '9')
        domain = domain * 10 + (unsigned)(*p++ - '0');
    struct proc *init = proc_alloc(); /* the first entry, so pid 1 */
    if (init == NULL)
        return false;
    *init = (struct proc){PID_INIT, 0, core, domain, PM_RUNNING, 0, 0, "init"};
    struct proc *self = proc_alloc(); /* init's entry may move: not used again */
    if (self == NULL)
        return false;
    struct cap_info me;
    (void)cap_identify(CAP_SLOT_SELF, &me);
    pm_pid = self->pid;
    *self =
        (struct proc){pm_pid, PID_INIT, sys_core_id(), (uint32_t)me.base, PM_RUNNING, 0, 0, "pm"};
    return true;
}

int main(int argc, char **argv)
{
    pm_ncores = sys_core_count();
    if (!add_boot_processes(argc > 1 ? argv[1] : "0.0")) {
        sys_printf("pm: cannot start: no memory for the process table\n");
        return 1;
    }
    for (int i = 2; i < argc; i++) {
        if (strncmp(argv[i], "any=", 4) == 0)
            spawn_set_any(argv[i] + 4);
    }
    spawn_init();
    /* One endpoint for both: channels from the name service, and the monitor's
     * notices that processes ended. */
    capaddr_t ep;
    err_t err = slot_alloc(&ep);
    if (err == OK)
        err = chan_register_hearing_ends(PM_NAME, 1, ep);
    msg_t w = MSG(NS_WATCH), r;
    if (err == OK)
        err = lmp_call(CAP_SLOT_MONITOR, &w, &r, ep, 0);
    if (err == OK)
        err = (err_t)r.type;
    if (err != OK) {
        sys_printf("pm: cannot start: %s\n", err_str(err));
        return 1;
    }
    sys_printf("pm: up on core %u, %u cores\n", sys_core_id(), pm_ncores);
    refill_take();
    for (;;) {
        msg_t m;
        struct chan *from;
        bool got_cap;
        if (chanset_recv(&set, &m, &from, take, &got_cap) != OK)
            continue;
        if (from != NULL) {
            struct client *c = client_of(from);
            if (c != NULL)
                handle(c, &m);
        } else if (m.type == LMP_NOTIFY_TYPE) {
            reap();
        } else if (m.type == NS_CONNECTED && got_cap && take != 0) {
            accept_client(&m);
        } else if (m.type == NS_DISCONNECTED) {
            disconnected(&m);
        } else if (got_cap) {
            (void)cap_delete(take);
        }
    }
}
