/* grant.c — a client grants the server of a channel a frame for bulk data
 * (grant.h, proto/srv.h). */
#include <grant.h>
#include <proto/srv.h>
#include <proto_chan.h>
#include <ram.h>
#include <share.h>
#include <slot_alloc.h>
#include <sys.h>
#include <va_layout.h>

PROTO_CHAN_CALLS(SRV_MESSAGES)

err_t grant_offer(struct chan *c, uint64_t bytes, struct grant *g)
{
    bytes = (bytes + 0xfff) & ~0xfffull;
    *g = (struct grant){0};
    struct srv_grant_req req;
    err_t err = slot_alloc(&g->ram);
    if (err == OK && (err = slot_alloc(&g->frame)) != OK) {
        slot_free(g->ram);
        g->ram = 0;
    }
    /* Out of the domain's own RAM if it has room: RAM from the monitor could
     * hold a chunk its monitor borrowed for as long as the grant lives. */
    if (err == OK && (err = cap_retype(CAP_SLOT_RAM, g->frame, CAP_FRAME, bytes, NULL)) != OK &&
        (err = ram_alloc(bytes, g->ram, NULL)) == OK)
        err = cap_retype(g->ram, g->frame, CAP_FRAME, bytes, NULL);
    if (err == OK && (err = va_alloc(bytes, &g->va)) == OK) {
        g->bytes = bytes;
        err = frame_map(g->frame, g->va, 1);
    }
    if (err == OK && (err = frame_export(g->frame, &req.frame)) == OK)
        err = srv_grant(c, &req, NULL);
    if (err != OK)
        grant_drop(g);
    return err;
}

err_t grant_renew(struct chan *c, const struct grant *g)
{
    struct srv_grant_req req;
    err_t err = frame_export(g->frame, &req.frame); /* the old export served the dead server */
    return err != OK ? err : srv_grant(c, &req, NULL);
}

void grant_drop(struct grant *g)
{
    if (g->frame != 0) {
        (void)cap_revoke(g->frame); /* the server's copy and mapping go too */
        (void)cap_delete(g->frame);
        slot_free(g->frame);
    }
    if (g->va != 0)
        va_free(g->va, g->bytes); /* the frame's deletion unmapped it */
    if (g->ram != 0) {
        (void)cap_delete(g->ram);
        slot_free(g->ram);
    }
    *g = (struct grant){0};
}
