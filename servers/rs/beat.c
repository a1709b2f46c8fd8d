/* beat.c — RS's clock: it reaches each running service at the name it
 * serves, pings it (SRV_PING, answered by the server skeleton between
 * requests) every heartbeat period, ends one that misses RS_MISSED_MAX in a
 * row, and starts again those whose backoff is over. One alarm (SYS_ALARM)
 * wakes RS for the earliest of these; nothing polls. */
#include "rs.h"

#include <stddef.h>
#include <stdint.h>
#include <sys.h>

static struct service *service_of(struct srv_upstream *u)
{
    return (struct service *)((char *)u - offsetof(struct service, up));
}

void beat_forget(struct service *s)
{
    if (!s->connected)
        return;
    srv_upstream_remove(&rs, &s->up);
    chan_drop(&s->up.chan);
    s->connected = false;
    s->ping_out = false;
}

static void answered(struct srv *srv, struct srv_upstream *u, const msg_t *m)
{
    (void)srv;
    struct service *s = service_of(u);
    if (m->type != OK && !s->fault_ordered)
        return; /* a ping answered with an error: a server gone wrong, its ping still out */
    if (m->type != OK) { /* SRV_FAULT refused: pings are always answered OK */
        sys_printf("rs: %s refused to crash: %s\n", s->conf.name, err_str((err_t)m->type));
        s->fault_ordered = false;
        s->timed_from_ns = 0;
        beat_fault_done(s, (err_t)m->type);
        return;
    }
    s->ping_out = false;
    s->missed = 0;
    s->ready = true;
    s->served = true;
    if (s->timed_from_ns != 0 && s->connected_ns >= s->timed_from_ns) { /* a new instance */
        uint64_t us = (sys_now_ns() - s->timed_from_ns) / 1000;
        sys_printf("rs: %s (pid %d) answering %lu.%03lu ms after %s\n", s->conf.name, (int)s->pid,
                   (unsigned long)(us / 1000), (unsigned long)(us % 1000),
                   s->fault_ordered ? "its fault" : "RS heard of its death");
        s->timed_from_ns = 0;
        s->fault_ordered = false;
        beat_fault_done(s, OK);
    }
}

/* The service's end of the channel went: it died, and PM will say so. If
 * PM said so first, the new instance may be running already, and RS found
 * the old channel still up when it looked: it looks again now (a fault
 * ordered with `service fault` waits for the new instance's answer). */
static void died(struct srv *srv, struct srv_upstream *u)
{
    (void)srv;
    struct service *s = service_of(u);
    chan_drop(&s->up.chan);
    s->connected = false;
    s->ping_out = false;
    beat_tick();
}

static void ping(struct service *s, uint64_t now)
{
    msg_t m = MSG(SRV_PING);
    if (chan_send(&s->up.chan, &m) != OK)
        return; /* it is going: its death comes next */
    s->ping_out = true;
    s->silent_since_ns = now;
}

/* A channel to the name s serves, if it has registered it; pinged at once,
 * so that RS learns when it is ready. */
static bool connect(struct service *s, uint64_t now)
{
    if (s->connected)
        return true;
    if (chan_connect(s->conf.registers, &s->up.chan, 0) != OK)
        return false;
    s->up.answered = answered;
    s->up.died = died;
    if (srv_upstream_add(&rs, &s->up) != OK) {
        chan_drop(&s->up.chan);
        return false;
    }
    s->connected = true;
    s->connected_ns = now;
    s->missed = 0;
    ping(s, now);
    s->next_ping_ns = now + (uint64_t)s->conf.heartbeat_ms * MS;
    return true;
}

void beat_fault_done(struct service *s, err_t err)
{
    if (!s->fault_waiter)
        return;
    s->fault_waiter = false;
    struct srv_client *c = srv_client_at(&rs, s->fault_client);
    if (c != NULL && c->gen == s->fault_gen)
        srv_answer(&rs, c, &(msg_t){.type = (uint16_t)err});
}

int beat_fault(struct service *s, struct srv_client *c)
{
    if (s->state != RS_RUNNING)
        return ERR_NOPROC;
    if (s->fault_waiter || s->fault_ordered)
        return ERR_BUSY; /* one at a time: the last one has not come back yet */
    if (s->conf.registers[0] == '\0' || !connect(s, sys_now_ns()))
        return ERR_NOENT;
    msg_t m = MSG(SRV_FAULT);
    err_t err = chan_send(&s->up.chan, &m);
    if (err != OK)
        return err;
    s->timed_from_ns = sys_now_ns();
    s->fault_ordered = true;
    for (unsigned i = 0; i < srv_clients(&rs) && !c->local; i++) {
        if (srv_client_at(&rs, i) == c) {
            s->fault_waiter = true;
            s->fault_client = i;
            s->fault_gen = c->gen;
            return SRV_LATER;
        }
    }
    return OK; /* a local caller cannot be answered later: told now */
}

/* A service that did not answer RS_MISSED_MAX pings in a row is ended; its
 * death then restarts it. */
static void heartbeat(struct service *s, uint64_t now)
{
    uint64_t period = (uint64_t)s->conf.heartbeat_ms * MS;
    if (now < s->next_ping_ns)
        return;
    s->next_ping_ns = now + period;
    if (!s->ping_out) {
        ping(s, now);
        return;
    }
    if (++s->missed < RS_MISSED_MAX)
        return;
    sys_printf("rs: %s (pid %d) silent for %lu ms (%u heartbeats missed): ending it\n",
               s->conf.name, (int)s->pid, (unsigned long)((now - s->silent_since_ns) / MS),
               s->missed);
    (void)life_end(s, END_HEARTBEAT);
}

/* One running service's due work; the time it wants RS back, or UINT64_MAX. */
static uint64_t tend(struct service *s, uint64_t now)
{
    uint64_t period = (uint64_t)s->conf.heartbeat_ms * MS;
    if (!s->ready && now > s->started_ns && now - s->started_ns >= RS_READY_NS)
        s->ready = true;
    if (s->conf.registers[0] == '\0' || s->ending != END_NONE)
        return UINT64_MAX;
    if (!connect(s, now)) {
        if (period != 0 && now > s->started_ns && now - s->started_ns >= RS_MISSED_MAX * period) {
            sys_printf("rs: %s (pid %d) never served %s: ending it\n", s->conf.name, (int)s->pid,
                       s->conf.registers);
            (void)life_end(s, END_HEARTBEAT);
            return UINT64_MAX;
        }
        return now + RS_CONNECT_RETRY_NS;
    }
    if (period == 0)
        return UINT64_MAX;
    heartbeat(s, now);
    return s->ending == END_NONE ? s->next_ping_ns : UINT64_MAX;
}

void beat_tick(void)
{
    uint64_t now = sys_now_ns(), next = UINT64_MAX;
    for (unsigned i = 0; i < services_count(); i++) {
        struct service *s = service_at(i);
        if (s->state == RS_WAITING && s->due_ns <= now) {
            s->restarts++;
            life_start(s);
            if (s->state == RS_RUNNING)
                sys_printf("rs: %s restarted as pid %d after its backoff\n", s->conf.name,
                           (int)s->pid);
            now = sys_now_ns(); /* a start takes a while */
        }
        uint64_t want = UINT64_MAX;
        if (s->state == RS_WAITING)
            want = s->due_ns;
        else if (s->state == RS_RUNNING)
            want = tend(s, now);
        if (want < next)
            next = want;
    }
    (void)sys_alarm(next == UINT64_MAX ? 0 : next, RS_TICK);
}
