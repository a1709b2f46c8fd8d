/* grant.c — the server's side of a client's grant (proto/srv.h): the frame is
 * imported, mapped, and read and written only through copies. */
#include <server.h>
#include <share.h>
#include <slot_alloc.h>
#include <string.h>
#include <sys.h>
#include <va_layout.h>

void srv_grant_release(struct srv_client *c);
int serve_srv_grant(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r);

void srv_grant_release(struct srv_client *c)
{
    struct srv_grant *g = &c->grant;
    if (g->cap == 0)
        return;
    (void)cap_delete(g->cap); /* unmaps it */
    slot_free(g->cap);
    va_free(g->va, g->bytes);
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
    uintptr_t va = 0;
    err_t err = slot_alloc(&slot);
    if (err != OK)
        return err;
    if ((err = frame_import(e->core, e->id, slot, &bytes)) == OK) {
        uint64_t max = s->grant_max != 0 ? s->grant_max : SRV_GRANT_DEFAULT;
        err = bytes > max ? ERR_TOOBIG : va_alloc(bytes, &va);
        if (err == OK && (err = frame_map(slot, va, 1)) != OK)
            va_free(va, bytes);
    }
    if (err != OK) {
        (void)cap_delete(slot);
        slot_free(slot);
        return err;
    }
    srv_grant_release(c);
    c->grant = (struct srv_grant){slot, va, bytes};
    return OK;
}

/* The grant must still be there: the client may have taken it back with a
 * revoke, which unmaps it here (a touch would fault). */
static err_t span(const struct srv_client *c, uint64_t offset, uint64_t bytes)
{
    struct cap_info info;
    if (c->grant.cap == 0 || cap_identify(c->grant.cap, &info) != OK)
        return ERR_NOENT;
    if (offset > c->grant.bytes || bytes > c->grant.bytes - offset)
        return ERR_RANGE;
    return OK;
}

err_t srv_grant_read(const struct srv_client *c, uint64_t offset, void *buf, uint64_t bytes)
{
    err_t err = span(c, offset, bytes);
    if (err == OK)
        memcpy(buf, (const void *)(c->grant.va + offset), bytes);
    return err;
}

err_t srv_grant_write(const struct srv_client *c, uint64_t offset, const void *buf, uint64_t bytes)
{
    err_t err = span(c, offset, bytes);
    if (err == OK)
        memcpy((void *)(c->grant.va + offset), buf, bytes);
    return err;
}
