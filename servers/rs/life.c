/* life.c — a service's life as RS sees it: started through PM as RS's child,
 * its end heard from PM (a PM_WAIT kept outstanding on a channel of its own,
 * answered through the server's loop), and started again under its policy:
 * at once if it had been running well, after a delay that doubles with each
 * death in a row before it was ready, and not at all past its limit. */
#include "rs.h"

#include <errno.h>
#include <procs.h>
#include <proto_chan.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys.h>
#include <unistd.h>

PROTO_CHAN_CALLS(PM_MESSAGES)

#define PM_CONNECT_NS (30000 * MS)

static struct srv_upstream pm_waiting; /* PM_WAIT for any child, always one outstanding */
static struct chan pm_sync;            /* RS's own calls: PM_WHO, PM_ADOPT */
static bool waiting, pm_gone;

/* Keeps one PM_WAIT outstanding while RS has children. */
static void wait_more(void)
{
    if (waiting || pm_gone)
        return;
    msg_t m = MSG(PM_WAIT);
    *msg_payload(&m, struct pm_wait) = (struct pm_wait){.pid = -1};
    waiting = chan_send(&pm_waiting.chan, &m) == OK;
}

static void pm_answered(struct srv *srv, struct srv_upstream *u, const msg_t *m)
{
    (void)srv, (void)u;
    waiting = false;
    if (m->type == OK) {
        const struct pm_waited *w = msg_payload_const(m, struct pm_waited);
        life_died(w->pid, w->status, w->signal, w->cause, w->addr);
    }
    wait_more(); /* ERR_NOCHILD: none left; the next start asks again */
}

static void pm_died(struct srv *srv, struct srv_upstream *u)
{
    (void)srv, (void)u;
    pm_gone = true;
    sys_printf("rs: PM died: the ends of services are no longer heard; they stay up\n");
}

err_t life_watch(void)
{
    err_t err = chan_connect(PM_NAME, &pm_waiting.chan, PM_CONNECT_NS);
    if (err == OK)
        err = chan_connect(PM_NAME, &pm_sync, PM_CONNECT_NS);
    if (err != OK)
        return err;
    pm_waiting.answered = pm_answered;
    pm_waiting.died = pm_died;
    return srv_upstream_add(&rs, &pm_waiting);
}

/* The core pid runs on, from PM's table; -1 if not found. */
static int core_of_pid(int32_t pid)
{
    struct pm_proc p;
    for (unsigned i = 0; ps_entry(i, &p) == 0; i++) {
        if (p.pid == pid)
            return (int)p.core;
    }
    return -1;
}

void life_start(struct service *s)
{
    char *argv[] = {s->conf.name, NULL};
    int core = s->core;
    pid_t pid = spawn_on(core, s->conf.name, argv, NULL);
    if (pid < 0 && core != CORE_ANY)
        pid = spawn_on(CORE_ANY, s->conf.name, argv, NULL); /* its core is gone */
    uint64_t now = sys_now_ns();
    s->started_ns = now;
    s->ready = false;
    s->served = false;
    s->ending = END_NONE;
    s->connected = false;
    s->ping_out = false;
    s->missed = 0;
    s->next_ping_ns = now;
    if (pid < 0) {
        sys_printf("rs: cannot start %s: %s\n", s->conf.name, strerror(errno));
        s->pid = 0;
        s->state = RS_WAITING; /* counted as a death at start: tried again after a delay */
        s->in_a_row++;
        s->due_ns = now + (uint64_t)s->conf.backoff_ms * MS;
        if (s->in_a_row > s->conf.limit)
            s->state = RS_GAVE_UP;
        return;
    }
    s->pid = pid;
    int on = core != CORE_ANY ? core : core_of_pid(pid);
    s->running_on = on >= 0 ? (unsigned)on : 0;
    s->state = RS_RUNNING;
    wait_more();
}

err_t life_end(struct service *s, enum ending why)
{
    if (s->state != RS_RUNNING || s->pid <= 0)
        return ERR_NOPROC;
    s->ending = why;
    if (kill(s->pid, SIGKILL) != 0) {
        s->ending = END_NONE;
        return errno == EPERM ? ERR_PERM : ERR_NOPROC;
    }
    return OK;
}

/* The delay before the n-th start in a row of a service that keeps dying. */
static uint64_t backoff_ns(const struct service *s)
{
    if (s->in_a_row == 0)
        return 0;
    unsigned shift = s->in_a_row - 1 < 20 ? s->in_a_row - 1 : 20;
    return ((uint64_t)s->conf.backoff_ms << shift) * MS;
}

/* s died and is not started again: why, on the console. */
static void leave_ended(struct service *s, enum rs_state state, int32_t pid, const char *how,
                        const char *why)
{
    s->state = state;
    s->fault_ordered = false;
    beat_fault_done(s, ERR_NOPROC);
    sys_printf("rs: %s (pid %d) %s; %s\n", s->conf.name, (int)pid, how, why);
}

void life_died(int32_t pid, int32_t status, uint32_t signal, uint32_t cause, uint64_t addr)
{
    struct service *s = service_of_pid(pid);
    if (s == NULL)
        return; /* not a service: nothing else is RS's child */
    uint64_t now = sys_now_ns();
    enum ending why = s->ending;
    s->has_died = true;
    s->last = (struct rs_death){.cause = cause,
                                .signal = signal,
                                .status = status,
                                .addr = addr,
                                .missed = why == END_HEARTBEAT};
    s->died_ns = now;
    s->pid = 0;
    beat_forget(s);
    bool was_ready = s->ready || now - s->started_ns >= RS_READY_NS;
    char how[112];
    rs_death_describe(&s->last, how, sizeof how);
    char died[128];
    snprintf(died, sizeof died, "died: %s", how);

    if (why == END_STOP) {
        leave_ended(s, RS_STOPPED, pid, "stopped", "as ordered");
        return;
    }
    /* Status 0 before it served: nothing to do (a block driver without a
     * disk). After it answered pings, a fault made it leave (the x86-64
     * console campaign found one): that is a death like any other. */
    if (why != END_RESTART && cause == DEATH_EXIT && status == 0 && !s->served) {
        leave_ended(s, RS_STOPPED, pid, "exited with status 0", "its work is done");
        return;
    }
    if (why != END_RESTART && !s->conf.restart) {
        leave_ended(s, RS_STOPPED, pid, died, "not restarted (restart=never)");
        return;
    }
    s->in_a_row = was_ready || why == END_RESTART ? 0 : s->in_a_row + 1;
    if (s->in_a_row > s->conf.limit) {
        char gave_up[96];
        snprintf(gave_up, sizeof gave_up, "%u deaths in a row before it was ready: given up",
                 s->in_a_row);
        leave_ended(s, RS_GAVE_UP, pid, died, gave_up);
        return;
    }
    if (!s->fault_ordered)
        s->timed_from_ns = now;
    uint64_t delay = backoff_ns(s);
    if (delay != 0) {
        s->state = RS_WAITING;
        s->due_ns = now + delay;
        sys_printf("rs: %s (pid %d) %s; restarting in %lu ms (%u of %u)\n", s->conf.name, (int)pid,
                   died, (unsigned long)(delay / MS), s->in_a_row, s->conf.limit);
        beat_tick();
        return;
    }
    s->restarts++;
    life_start(s);
    uint64_t took = sys_now_ns() - now;
    if (s->state == RS_RUNNING)
        sys_printf("rs: %s (pid %d) %s; restarted as pid %d in %lu ms\n", s->conf.name, (int)pid,
                   why == END_RESTART ? "restarted as ordered" : died, (int)s->pid,
                   (unsigned long)(took / MS));
    beat_tick();
}

void life_adopt(void)
{
    struct pm_adopted got;
    if (pm_adopt(&pm_sync, NULL, &got) != OK || got.count == 0)
        return;
    int32_t me = getpid();
    unsigned taken = 0;
    struct pm_proc p;
    for (unsigned i = 0; ps_entry(i, &p) == 0; i++) {
        if (p.ppid != me || p.state != PM_RUNNING)
            continue;
        struct service *s = service_named(p.name);
        if (s == NULL) { /* added by `service up`: its settings died with the old RS */
            struct bootconf_service conf = {.restart = true,
                                            .limit = BOOTCONF_LIMIT_DEFAULT,
                                            .backoff_ms = BOOTCONF_BACKOFF_DEFAULT};
            memcpy(conf.name, p.name, sizeof conf.name);
            memcpy(conf.registers, p.name, sizeof conf.registers);
            s = service_add(&conf, BOOTCONF_CORE_ANY);
        }
        if (s == NULL || s->state == RS_RUNNING)
            continue;
        s->pid = p.pid;
        s->running_on = p.core;
        s->state = RS_RUNNING;
        s->started_ns = sys_now_ns();
        s->ready = true;
        s->served = true;
        taken++;
    }
    sys_printf("rs: adopted %u running services\n", taken);
    wait_more();
}

bool life_may_order(struct srv_client *c)
{
    struct pm_proc p;
    struct pm_who w = {c->chan.peer_core, c->chan.peer_domain};
    if (pm_who(&pm_sync, &w, &p) != OK)
        return false; /* not a process: a domain the kernel's command line started */
    /* A driver or server may not order others (or itself) about. */
    return service_of_pid(p.pid) == NULL && service_of_pid(p.ppid) == NULL;
}
