/* procs.c — what a monitor does for the process manager and init: it tells
 * the watcher (the one domain of its core that asked with NS_WATCH: PM) how
 * the domains it spawned ended, wherever they ran; it ends such domains when
 * the watcher asks; it hands out the boot archive read-only; and monitor 0
 * starts init once every monitor is up, and powers off when init asks. */
#include "monitor.h"

#include <lmp.h>
#include <proto/monitor.h>
#include <proto/ns.h>
#include <proto/pm.h>
#include <slot_alloc.h>
#include <string.h>
#include <sys.h>

#define WATCHED_MAX 128 /* watched domains on this core */
#define DEATHQ_MAX  512 /* ends waiting for the watcher to collect them */

static struct {
    bool used;
    uint32_t domain;
    unsigned watcher_core;
} watched[WATCHED_MAX];

static struct {
    bool registered;
    uint32_t badge; /* its domain id */
    capaddr_t ep;   /* where its notifications go */
} watcher;

static struct ns_death deathq[DEATHQ_MAX];
static unsigned deathq_head, deathq_count, deaths_dropped;

static bool init_started;
static uint32_t init_domain;

bool procs_is_watcher(uint32_t badge) { return watcher.registered && watcher.badge == badge; }

void procs_watch(uint32_t domain, unsigned watcher_core)
{
    for (unsigned i = 0; i < WATCHED_MAX; i++) {
        if (!watched[i].used) {
            watched[i].used = true;
            watched[i].domain = domain;
            watched[i].watcher_core = watcher_core;
            return;
        }
    }
    sys_printf("monitor %u: too many watched domains; the end of %u will go unreported\n", mon.core,
               domain);
}

/* Who watches domain of this core (forgetting it if forget), or -1. */
static int watcher_of(uint32_t domain, bool forget)
{
    for (unsigned i = 0; i < WATCHED_MAX; i++) {
        if (watched[i].used && watched[i].domain == domain) {
            watched[i].used = !forget;
            return (int)watched[i].watcher_core;
        }
    }
    return -1;
}

/* An end for this core's watcher: queued, and the watcher notified. */
static void deliver(const struct ns_death *d)
{
    if (!watcher.registered)
        return;
    if (deathq_count == DEATHQ_MAX) {
        if (deaths_dropped++ == 0)
            sys_printf("monitor %u: the watcher does not collect ends; dropping some\n", mon.core);
        return;
    }
    deathq[(deathq_head + deathq_count) % DEATHQ_MAX] = *d;
    deathq_count++;
    (void)lmp_notify(watcher.ep, 1);
}

void procs_reap(void)
{
    struct death_record recs[16];
    unsigned n;
    do {
        if (kernel_reap(CAP_SLOT_KERNEL, recs, 16, &n) != OK)
            return;
        for (unsigned i = 0; i < n; i++) {
            devices_ended(recs[i].domain);
            irqs_ended(recs[i].domain);
            names_domain_ended(recs[i].domain);
            channels_client_ended(recs[i].domain);
            exports_domain_ended(recs[i].domain);
            int to = watcher_of(recs[i].domain, true);
            if (to < 0)
                continue;
            struct ns_death d = {.core = mon.core,
                                 .domain = recs[i].domain,
                                 .status = recs[i].status,
                                 .signal = (uint16_t)recs[i].signal,
                                 .cause = (uint16_t)recs[i].cause,
                                 .addr = recs[i].addr};
            if ((unsigned)to == mon.core) {
                deliver(&d);
            } else {
                msg_t m = MSG(MON_DIED);
                *msg_payload(&m, struct ns_death) = d;
                mon_send((unsigned)to, &m);
            }
        }
    } while (n == 16);
    ram_return_unused(); /* what those domains had may be a whole chunk */
}

static err_t kill_here(uint32_t domain, unsigned signal, unsigned asking_core)
{
    int watcher = watcher_of(domain, false);
    if (watcher < 0)
        return ERR_NOENT; /* ended already (a kill racing its exit), or never watched */
    if (watcher != (int)asking_core)
        return ERR_PERM; /* only what that core's watcher spawned */
    return kernel_kill(CAP_SLOT_KERNEL, domain, signal);
}

err_t serve_mon_died(unsigned src, const msg_t *m)
{
    const struct ns_death *d = msg_payload_const(m, struct ns_death);
    if (d->core != src)
        return ERR_INVAL;
    deliver(d);
    return OK;
}

err_t serve_mon_kill(unsigned src, const msg_t *m)
{
    const struct ns_kill *k = msg_payload_const(m, struct ns_kill);
    err_t err = k->core == mon.core ? kill_here(k->domain, k->signal, src) : ERR_INVAL;
    return err == ERR_NOENT ? OK : err; /* already gone: not a fault */
}

/* Refusals go on the console. */
static err_t said(const msg_t *m, uint32_t badge, err_t err)
{
    if (err != OK)
        sys_printf("monitor %u: request %u from domain %u refused: %s\n", mon.core, m->type, badge,
                   err_str(err));
    return err;
}

err_t serve_ns_watch(const msg_t *m, struct mon_call *c)
{
    if (!c->got_cap)
        return said(m, c->badge, ERR_INVAL);
    /* Only PM, the domain that serves its name here: a watcher takes the
     * news of every death on the core and may end any domain (NS_KILL). */
    if (watcher.registered || !names_owned_here(PM_NAME, c->badge))
        return said(m, c->badge, ERR_PERM);
    capaddr_t slot;
    if (slot_alloc(&slot) != OK)
        return said(m, c->badge, ERR_NOSPACE);
    if (cap_copy(names_take_slot(), slot, CAP_RIGHTS_ALL) != OK) {
        slot_free(slot);
        return said(m, c->badge, ERR_NOSPACE);
    }
    watcher.registered = true;
    watcher.badge = c->badge;
    watcher.ep = slot;
    return OK;
}

err_t serve_ns_reap(const msg_t *m, struct mon_call *c)
{
    if (!procs_is_watcher(c->badge))
        return said(m, c->badge, ERR_PERM);
    struct ns_deaths *out = msg_payload(&c->r, struct ns_deaths);
    while (out->count < NS_DEATHS_MAX && deathq_count > 0) {
        out->d[out->count++] = deathq[deathq_head];
        deathq_head = (deathq_head + 1) % DEATHQ_MAX;
        deathq_count--;
    }
    return OK;
}

err_t serve_ns_kill(const msg_t *m, struct mon_call *c)
{
    const struct ns_kill *k = msg_payload_const(m, struct ns_kill);
    if (!procs_is_watcher(c->badge))
        return said(m, c->badge, ERR_PERM);
    if (k->signal == 0 || k->signal >= 64 || k->core >= mon.ncores)
        return said(m, c->badge, ERR_INVAL);
    if (k->core == mon.core) {
        err_t err = kill_here(k->domain, k->signal, mon.core);
        return err == ERR_NOENT ? err : said(m, c->badge, err); /* ended already: no fault */
    }
    msg_t s = MSG(MON_KILL);
    *msg_payload(&s, struct ns_kill) = *k;
    mon_send(k->core, &s);
    return OK;
}

err_t serve_ns_archive(const msg_t *m, struct mon_call *c)
{
    uint64_t bytes = 0;
    err_t err = slot_alloc(&c->give);
    if (err == OK)
        err = kernel_archive(CAP_SLOT_KERNEL, c->give, &bytes);
    msg_payload(&c->r, struct ns_archive)->bytes = bytes;
    return said(m, c->badge, err);
}

err_t serve_ns_poweroff(const msg_t *m, struct mon_call *c)
{
    if (mon.core != 0 || !init_started || c->badge != init_domain)
        return said(m, c->badge, ERR_PERM);
    return said(m, c->badge,
                kernel_poweroff(CAP_SLOT_KERNEL, msg_payload_const(m, struct ns_poweroff)->status));
}

/* Monitor 0 starts init once every monitor is up; not when the kernel is to
 * power off by itself (poweroff), nor with init=none. */
void procs_poll(void)
{
    if (mon.core != 0 || init_started || !mon.up)
        return;
    init_started = true;
    if (mon_has_word(mon.cmdline, "poweroff") || mon_has_word(mon.cmdline, "init=none"))
        return;
    err_t err = kernel_spawn(CAP_SLOT_KERNEL, "init", NULL, 0, &init_domain);
    if (err != OK)
        sys_printf("monitor 0: cannot start init: %s\n", err_str(err));
}
