/* grant.c — the server's side of a client's grant (proto/srv.h): the frame is
 * imported and read and written only through copies the kernel makes
 * (frame_read, frame_write), never mapped: a client that revokes its frame
 * meanwhile makes a copy fail, not the server fault. */
#include <server.h>
#include <share.h>
#include <slot_alloc.h>
#include <sys.h>

void srv_grant_release(struct srv_client *c);
int serve_srv_grant(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r);

void srv_grant_release(struct srv_client *c)
{
    struct srv_grant *g = &c->grant;
    if (g->cap == 0)
        return;
    (void)cap_delete(g->cap);
    slot_free(g->cap);
    *g = (struct srv_grant){0};
}

int serve_srv_grant(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r)
{
    (void)r;
    const struct ns_export *e = &msg_payload_const(m, struct srv_grant_req)->frame;
    if (c->local)
        return ERR_INVAL; /* kept only for one request: nothing to keep a grant in */
    if (e->core != c->chan.peer_core)
        return ERR_PERM; /* a frame of the client's own core, not someone else's */
    capaddr_t slot;
    uint64_t bytes = 0;
    err_t err = slot_alloc(&slot);
    if (err != OK)
        return err;
    if ((err = frame_import(e->core, e->id, slot, &bytes)) == OK &&
        bytes > (s->grant_max != 0 ? s->grant_max : SRV_GRANT_DEFAULT))
        err = ERR_TOOBIG;
    if (err != OK) {
        (void)cap_delete(slot);
        slot_free(slot);
        return err;
    }
    srv_grant_release(c);
    c->grant = (struct srv_grant){slot, bytes};
    return OK;
}

/* A copy that fails once the range was checked: the client took its frame
 * back (a revoke on its core deletes the copy here too). */
static err_t gone(err_t err) { return err == OK ? OK : ERR_NOENT; }

err_t srv_grant_read(const struct srv_client *c, uint64_t offset, void *buf, uint64_t bytes)
{
    err_t err = srv_grant_span(c, offset, bytes);
    return err != OK ? err : gone(frame_read(c->grant.cap, offset, buf, bytes));
}

err_t srv_grant_write(const struct srv_client *c, uint64_t offset, const void *buf, uint64_t bytes)
{
    err_t err = srv_grant_span(c, offset, bytes);
    return err != OK ? err : gone(frame_write(c->grant.cap, offset, buf, bytes));
}
