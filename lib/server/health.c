/* health.c — what the skeleton answers for whoever restarts servers
 * (proto/srv.h): a heartbeat, and a crash on demand for the server's parent;
 * and srv_pm_who for servers that must know whether a domain still lives.
 * It asks PM only who a caller is, never to do anything, and never from PM
 * itself (PM would wait for its own answer). */
#include <proto/pm.h>
#include <proto_chan.h>
#include <server.h>
#include <string.h>
#include <va_layout.h>

#define PM_WAIT_NS 1000000000ull

int serve_srv_ping(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r);
int serve_srv_fault(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r);

PROTO_CHAN_CALLS(PM_MESSAGES)

static struct chan pm; /* opened on first use; dropped if PM dies */
static bool pm_open;

int serve_srv_ping(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r)
{
    (void)s, (void)c, (void)m, (void)r;
    return OK;
}

/* The skeleton's channel to PM, opened on first use and again after PM's
 * end; never from PM itself (it would wait for its own answer). */
static err_t pm_channel(const struct srv *s, struct chan **out)
{
    if (strcmp(s->name, PM_NAME) == 0)
        return ERR_PERM;
    if (!pm_open) {
        err_t err = chan_connect(PM_NAME, &pm, PM_WAIT_NS);
        if (err != OK)
            return err;
        pm_open = true;
    }
    *out = &pm;
    return OK;
}

/* A call's error: a dead PM's channel goes, for the next call to open anew. */
static err_t pm_answered(err_t err)
{
    if (err == ERR_DEAD) {
        chan_drop(&pm);
        pm_open = false;
    }
    return err;
}

err_t srv_pm_who(const struct srv *s, unsigned core, uint32_t domain, struct pm_proc *out)
{
    struct chan *c;
    err_t err = pm_channel(s, &c);
    return err != OK ? err : pm_answered(pm_who(c, &(struct pm_who){core, domain}, out));
}

/* Whether the process behind c is this one's parent now, by PM's table: the
 * parent changes when a restarted reincarnation server adopts its services.
 * The caller's core and domain are the channel's, which its monitor set (or
 * the CPU driver's, over LMP): nobody can claim another's. */
static bool from_parent(const struct srv *s, const struct srv_client *c)
{
    struct chan *ch;
    struct pm_ids self;
    struct pm_proc caller;
    err_t err = pm_channel(s, &ch);
    if (err == OK)
        err = pm_answered(pm_getpid(ch, NULL, &self));
    if (err == OK)
        err = srv_pm_who(s, c->chan.peer_core, c->chan.peer_domain, &caller);
    return err == OK && caller.state == PM_RUNNING && self.ppid > 0 && caller.pid == self.ppid;
}

int serve_srv_fault(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r)
{
    (void)m, (void)r;
    if (!from_parent(s, c))
        return ERR_PERM;
    /* A store where nothing is ever mapped: the kernel reports a page fault
     * and PM a SIGSEGV, as for any crash of the server's own. volatile: the
     * compiler may not drop the store or the address. */
    volatile uintptr_t nowhere = VA_NULL_END / 2;
    *(volatile uint64_t *)nowhere = 1;
    return ERR_FAULT; /* not reached */
}
