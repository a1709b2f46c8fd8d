/* redial.c — calls that outlive a server's restart (redial.h): on ERR_DEAD,
 * connect to the name again and repeat what is safe to repeat. Never repeats
 * a request whose row does not say it is safe. */
#include <proto_chan.h>
#include <redial.h>
#include <sys.h>

#define RETRY_NS 5000000ull

err_t redial_open(struct redial *r, const char *name, uint64_t timeout_ns)
{
    *r = (struct redial){.name = name, .wait_ns = REDIAL_WAIT_NS};
    err_t err = chan_connect(name, &r->chan, timeout_ns);
    r->up = err == OK;
    return err;
}

err_t redial_grant(struct redial *r, uint64_t bytes)
{
    if (!r->up)
        return ERR_DEAD;
    if (r->grant.frame != 0)
        grant_drop(&r->grant);
    return grant_offer(&r->chan, bytes, &r->grant);
}

void redial_grant_drop(struct redial *r)
{
    if (r->grant.frame != 0)
        grant_drop(&r->grant);
}

static void let_go(struct redial *r)
{
    if (r->up)
        chan_drop(&r->chan);
    r->up = false;
}

/* A channel to the name's server again, by deadline, with the grant renewed:
 * OK, or ERR_DEAD when the name did not come back in time. A server that
 * dies again meanwhile is dialled again. */
static err_t dial(struct redial *r, uint64_t deadline)
{
    for (;;) {
        let_go(r);
        uint64_t now = sys_now_ns();
        if (now >= deadline)
            return ERR_DEAD;
        /* Not only ERR_NOENT: the old server's name may linger for a moment
         * on a core that has not heard of its end. */
        if (chan_connect(r->name, &r->chan, deadline - now) != OK) {
            sys_sleep_ns(RETRY_NS);
            continue;
        }
        r->up = true;
        r->redials++;
        err_t err = r->grant.frame != 0 ? grant_renew(&r->chan, &r->grant) : OK;
        if (err == ERR_DEAD)
            continue; /* it died already */
        if (err != OK)
            grant_drop(&r->grant); /* refused: requests naming it hear ERR_NOENT */
        return OK;
    }
}

err_t redial_call(struct redial *r, uint16_t type, unsigned flags, const void *in, size_t in_bytes,
                  void *out, size_t out_bytes)
{
    uint64_t deadline = 0;
    if (!r->up && dial(r, sys_now_ns() + r->wait_ns) != OK)
        return ERR_DEAD;
    for (;;) {
        err_t err = proto_chan_call_by(&r->chan, type, in, in_bytes, out, out_bytes,
                                       r->answer_ns ? sys_now_ns() + r->answer_ns : 0);
        if (err == ERR_TIMEDOUT)
            let_go(r); /* its answer may still come, to be taken for the next's */
        if (err != ERR_DEAD)
            return err;
        if (deadline == 0)
            deadline = sys_now_ns() + r->wait_ns;
        if (!(flags & (PROTO_IDEMPOTENT | PROTO_REISSUE))) {
            let_go(r); /* the next call dials again */
            return ERR_DEAD;
        }
        if (dial(r, deadline) != OK)
            return ERR_DEAD;
    }
}

err_t redial_again(struct redial *r) { return dial(r, sys_now_ns() + r->wait_ns); }

void redial_close(struct redial *r)
{
    redial_grant_drop(r);
    let_go(r);
}
