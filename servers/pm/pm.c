/* pm.c — the process manager (PM): process ids and parents, spawn, exit
 * status and wait, kill, and the process table for ps. Processes reach it over
 * channels of their own; the monitors tell it how the domains it started
 * ended. A bad request gets an errno and never disturbs anyone else.
 *
 * argv: pm INIT_CORE.INIT_DOMAIN [any=CORE,CORE...] — init is pid 1. */
#include "pm.h"

#include <ns_calls.h>
#include <proc_abi.h>
#include <string.h>
#include <sys.h>

unsigned pm_ncores;
static int32_t pm_pid;
static struct srv pm;

/* PM's state of c: the process at the other end, looked up on first use. */
static struct client *who(struct srv_client *c)
{
    struct client *me = srv_state(c);
    if (!me->known) {
        const struct proc *p = proc_by_domain(c->chan.peer_core, c->chan.peer_domain);
        me->pid = p != NULL ? p->pid : 0;
        me->known = true;
    }
    return me;
}

static void fill_waited(msg_t *r, const struct proc *z)
{
    *msg_payload(r, struct pm_waited) = (struct pm_waited){.pid = z->pid,
                                                           .status = z->status,
                                                           .signal = z->signal,
                                                           .cause = z->cause,
                                                           .addr = z->addr};
    r->len = PM_WAIT_REPLY_LEN;
}

/* A waiting parent whose wait z answers, if any. */
static struct srv_client *waiter_for(const struct proc *z)
{
    for (unsigned i = 0; i < srv_clients(&pm); i++) {
        struct srv_client *c = srv_client_at(&pm, i);
        struct client *w = c != NULL ? srv_state(c) : NULL;
        if (w != NULL && w->waiting && w->pid == z->ppid &&
            (w->wait_for == -1 || w->wait_for == z->pid))
            return c;
    }
    return NULL;
}

static void on_death(const struct ns_death *d)
{
    struct proc *p = proc_by_domain(d->core, d->domain);
    if (p == NULL)
        return;
    proc_orphan_children(p->pid);
    p->state = PM_ZOMBIE;
    p->status = d->status;
    p->signal = d->signal;
    p->cause = d->cause;
    p->addr = d->addr;
    struct srv_client *w = waiter_for(p);
    if (w != NULL) {
        msg_t r = {.type = OK};
        fill_waited(&r, p);
        ((struct client *)srv_state(w))->waiting = false;
        proc_free(p);
        srv_answer(&pm, w, &r);
    } else if (p->ppid == 0 || proc_by_pid(p->ppid) == NULL) {
        proc_free(p); /* no one will ever wait for it */
    }
}

/* The monitor's notice that domains PM started ended: collect them. */
static void reap(struct srv *s, uint64_t bits)
{
    (void)s;
    (void)bits;
    struct ns_deaths ds;
    while (ns_reap(NULL, &ds, 0, 0) == OK && ds.count > 0 && ds.count <= NS_DEATHS_MAX) {
        for (unsigned i = 0; i < ds.count; i++)
            on_death(&ds.d[i]);
    }
}

static int serve_pm_getpid(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r)
{
    (void)s, (void)m;
    const struct proc *p = proc_by_pid(who(c)->pid);
    if (p == NULL)
        return ERR_NOPROC;
    *msg_payload(r, struct pm_ids) = (struct pm_ids){p->pid, p->ppid};
    return OK;
}

static int serve_pm_spawn(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r)
{
    (void)s;
    int32_t *pid = &msg_payload(r, struct pm_ids)->pid;
    return spawn_request(c, who(c)->pid, msg_payload_const(m, struct pm_spawn), pid);
}

static int serve_pm_wait(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r)
{
    (void)s;
    const struct pm_wait *w = msg_payload_const(m, struct pm_wait);
    struct client *me = who(c);
    if (me->waiting)
        return ERR_BUSY; /* one wait at a time per channel */
    bool has_child;
    struct proc *z = proc_zombie_child(me->pid, w->pid, &has_child);
    if (!has_child || me->pid == 0)
        return ERR_NOCHILD;
    if (z != NULL) {
        fill_waited(r, z);
        proc_free(z);
        return OK;
    }
    if (w->flags & PM_WNOHANG)
        return OK; /* pid 0: none has ended yet */
    me->waiting = true;
    me->wait_for = w->pid;
    return SRV_LATER; /* answered when a child ends */
}

/* Whether pid descends from ancestor (itself included). */
static bool descends(int32_t pid, int32_t ancestor)
{
    for (unsigned depth = 0; pid > 0 && depth < 1000000; depth++) {
        if (pid == ancestor)
            return true;
        const struct proc *p = proc_by_pid(pid);
        pid = p != NULL ? p->ppid : 0;
    }
    return false;
}

/* A process may signal itself and its descendants; init, anyone. */
static bool may_signal(int32_t caller, int32_t target)
{
    return caller == PID_INIT || (caller > 0 && descends(target, caller));
}

static int serve_pm_kill(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r)
{
    (void)s, (void)r;
    const struct pm_kill *k = msg_payload_const(m, struct pm_kill);
    struct proc *p = proc_by_pid(k->pid);
    if (p == NULL || p->state == PM_ZOMBIE)
        return ERR_NOPROC;
    if (!may_signal(who(c)->pid, p->pid) || p->pid == PID_INIT || p->pid == pm_pid)
        return ERR_PERM;
    return k->signal == 0 ? OK : spawn_kill(p, k->signal);
}

/* The console's foreground: whom Ctrl-C interrupts, named by an ancestor. */
static int32_t foreground;

static int serve_pm_foreground(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r)
{
    (void)s, (void)r;
    int32_t pid = msg_payload_const(m, struct pm_foreground)->pid;
    if (pid == 0) {
        if (foreground != 0 && !may_signal(who(c)->pid, foreground) &&
            proc_by_pid(foreground) != NULL)
            return ERR_PERM; /* someone else's foreground stays */
        foreground = 0;
        return OK;
    }
    const struct proc *p = proc_by_pid(pid);
    if (p == NULL || p->state == PM_ZOMBIE)
        return ERR_NOPROC;
    if (!may_signal(who(c)->pid, pid) || pid == PID_INIT || pid == pm_pid)
        return ERR_PERM;
    foreground = pid;
    return OK;
}

/* PM acting for the ancestor that named the foreground. */
static int serve_pm_interrupt(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r)
{
    (void)s, (void)c, (void)m, (void)r;
    const struct proc *p = foreground != 0 ? proc_by_pid(foreground) : NULL;
    if (p == NULL || p->state == PM_ZOMBIE)
        return ERR_NOPROC;
    return spawn_kill(p, SIG_INT);
}

/* A restarted instance of a process init started takes back what its dead
 * predecessor had started (RS its services): only a child of init may, and
 * only the orphans of a process of its own name. */
static int serve_pm_adopt(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r)
{
    (void)s, (void)m;
    const struct proc *me = proc_by_pid(who(c)->pid);
    if (me == NULL || me->ppid != PID_INIT)
        return ERR_PERM;
    msg_payload(r, struct pm_adopted)->count = proc_adopt(me);
    return OK;
}

/* A table entry into the answer; ERR_NOPROC if there is none. */
static int describe(const struct proc *p, msg_t *r)
{
    if (p == NULL)
        return ERR_NOPROC;
    struct pm_proc *o = msg_payload(r, struct pm_proc);
    *o = (struct pm_proc){p->pid, p->ppid, p->core, p->domain, p->state, {0}};
    memcpy(o->name, p->name, sizeof o->name);
    return OK;
}

static int serve_pm_ps(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r)
{
    (void)s, (void)c;
    return describe(proc_nth(msg_payload_const(m, struct pm_ps)->index), r);
}

static int serve_pm_who(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r)
{
    (void)s, (void)c;
    const struct pm_who *w = msg_payload_const(m, struct pm_who);
    return describe(proc_by_domain(w->core, w->domain), r);
}

static const struct srv_op ops[] = {SRV_OPS(PM_MESSAGES)};
static struct srv pm = {
    .name = PM_NAME,
    SRV_TABLE(ops),
    .state_bytes = sizeof(struct client),
    .grant_max = PM_GRANT_MAX,
    .notified = reap,
};

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
    *init = (struct proc){
        .pid = PID_INIT, .core = core, .domain = domain, .state = PM_RUNNING, .name = "init"};
    struct proc *self = proc_alloc(); /* init's entry may move: not used again */
    if (self == NULL)
        return false;
    struct cap_info me;
    (void)cap_identify(CAP_SLOT_SELF, &me);
    pm_pid = self->pid;
    *self = (struct proc){.pid = pm_pid,
                          .ppid = PID_INIT,
                          .core = sys_core_id(),
                          .domain = (uint32_t)me.base,
                          .state = PM_RUNNING,
                          .name = "pm"};
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
    err_t err = srv_start(&pm);
    if (err == OK)
        err = ns_watch(NULL, NULL, pm.ep, 0);
    if (err != OK) {
        sys_printf("pm: cannot start: %s\n", err_str(err));
        return 1;
    }
    sys_printf("pm: up on core %u, %u cores\n", sys_core_id(), pm_ncores);
    srv_run(&pm);
}
