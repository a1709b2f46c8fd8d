/* spawn.c — the spawn service: a domain asks its monitor (NS_SPAWN) to start a
 * module of the boot archive on any core. On this core the monitor asks its CPU
 * driver; on another it asks that core's monitor (MON_SPAWN) and waits for the
 * answer, serving its other channels meanwhile but no local requests (it owes
 * this one a reply). */
#include "monitor.h"

#include <lmp.h>
#include <proto/monitor.h>
#include <proto/ns.h>
#include <string.h>
#include <sys.h>

#define ANSWER_TIMEOUT_NS 30000000000ull

static uint32_t next_seq = 1;
static struct {
    bool waiting, answered;
    uint32_t seq;
    struct mon_spawned answer;
} outstanding;

static bool module_ok(const char *module)
{
    size_t len = strnlen(module, NS_MODULE_MAX);
    return len > 0 && len < NS_MODULE_MAX;
}

/* A request can come before the monitors have all met: give it time. */
static bool wait_connected(unsigned core)
{
    uint64_t deadline = sys_now_ns() + ANSWER_TIMEOUT_NS;
    while (core != mon.core && !mon.peers[core].connected && sys_now_ns() < deadline) {
        if (mon_poll_peers() == 0)
            sys_yield();
        mesh_check_up();
    }
    return core == mon.core || mon.peers[core].connected;
}

static err_t spawn_remote(unsigned core, const char *module, uint32_t *domain)
{
    msg_t m = {.type = MON_SPAWN};
    struct mon_spawn *s = msg_payload(&m, struct mon_spawn);
    s->seq = next_seq++;
    memcpy(s->module, module, NS_MODULE_MAX);
    outstanding.waiting = true;
    outstanding.answered = false;
    outstanding.seq = s->seq;
    mon_send(core, &m);
    uint64_t deadline = sys_now_ns() + ANSWER_TIMEOUT_NS;
    while (!outstanding.answered && sys_now_ns() < deadline) {
        if (mon_poll_peers() == 0)
            sys_yield();
    }
    outstanding.waiting = false;
    if (!outstanding.answered)
        return ERR_DEAD; /* that monitor did not answer */
    *domain = outstanding.answer.domain;
    return (err_t)outstanding.answer.err;
}

void spawn_handle(const msg_t *m, uint32_t badge)
{
    const struct ns_spawn *req = msg_payload_const(m, struct ns_spawn);
    msg_t r = {.type = OK};
    struct ns_spawned *out = msg_payload(&r, struct ns_spawned);
    err_t err;
    uint32_t domain = 0;
    if (!module_ok(req->module) || req->core >= mon.ncores)
        err = ERR_INVAL;
    else if (!wait_connected(req->core))
        err = ERR_DEAD;
    else if (req->core == mon.core)
        err = kernel_spawn(CAP_SLOT_KERNEL, req->module, &domain);
    else
        err = spawn_remote(req->core, req->module, &domain);
    if (err != OK)
        sys_printf("monitor %u: spawn of %s on core %u for domain %u refused: %s\n", mon.core,
                   module_ok(req->module) ? req->module : "(bad name)", req->core, badge,
                   err_str(err));
    r.type = (uint16_t)err;
    out->core = req->core;
    out->domain = domain;
    (void)lmp_reply(&r, 0);
}

bool spawn_handle_monitor(unsigned src, const msg_t *m)
{
    if (m->type == MON_SPAWN) {
        const struct mon_spawn *s = msg_payload_const(m, struct mon_spawn);
        msg_t r = {.type = MON_SPAWNED};
        struct mon_spawned *a = msg_payload(&r, struct mon_spawned);
        a->seq = s->seq;
        a->err =
            module_ok(s->module) ? kernel_spawn(CAP_SLOT_KERNEL, s->module, &a->domain) : ERR_INVAL;
        mon_send(src, &r);
        return true;
    }
    if (m->type == MON_SPAWNED) {
        const struct mon_spawned *a = msg_payload_const(m, struct mon_spawned);
        if (outstanding.waiting && a->seq == outstanding.seq) {
            outstanding.answer = *a;
            outstanding.answered = true;
        } else {
            sys_printf("monitor %u: an answer to no spawn (seq %u) from core %u\n", mon.core,
                       a->seq, src);
        }
        return true;
    }
    return false;
}
