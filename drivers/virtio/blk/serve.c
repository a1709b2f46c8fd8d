/* serve.c — the block protocol (proto/blk.h): every request is checked
 * (length, range on the disk, range in the client's grant) before it reaches
 * the device; data is copied between the client's grant and the driver's
 * DMA memory; answers go out as the device finishes, in its order. */
#include "blk.h"

#include <string.h>

static struct srv *server;

static err_t io_check(const struct srv_client *c, const struct blk_io *io)
{
    if (c->grant.cap == 0)
        return ERR_NOENT;
    if (io->bytes == 0 || io->bytes % SECTOR_BYTES != 0)
        return ERR_INVAL;
    if (io->bytes > SLOT_BYTES)
        return ERR_TOOBIG;
    uint64_t count = io->bytes / SECTOR_BYTES;
    if (io->lba > blk.sectors || count > blk.sectors - io->lba)
        return ERR_RANGE;
    if (io->offset > c->grant.bytes || io->bytes > c->grant.bytes - io->offset)
        return ERR_RANGE;
    return OK;
}

static int start(struct srv_client *c, const msg_t *m, enum slot_kind kind)
{
    if (c->local)
        return ERR_WOULDBLOCK; /* answers come later: a channel of its own is needed */
    const struct blk_io *io = msg_payload_const(m, struct blk_io);
    err_t err = kind == SLOT_FLUSH ? OK : io_check(c, io);
    if (err != OK)
        return err;
    struct slot *sl = blkdev_slot();
    if (sl == NULL)
        return ERR_BUSY;
    *sl = (struct slot){.kind = (uint8_t)kind,
                        .client = c->gen,
                        .hdr = sl->hdr,
                        .status = sl->status,
                        .data = sl->data,
                        .hdr_pa = sl->hdr_pa,
                        .status_pa = sl->status_pa,
                        .data_pa = sl->data_pa};
    if (kind == SLOT_FLUSH) {
        sl->tag = msg_payload_const(m, struct blk_flush)->tag;
    } else {
        sl->offset = io->offset, sl->bytes = io->bytes, sl->tag = io->tag;
    }
    if (kind == SLOT_WRITE && (err = srv_grant_read(c, sl->offset, sl->data, sl->bytes)) != OK)
        return err;
    err = blkdev_submit(sl, kind == SLOT_FLUSH ? 0 : io->lba);
    return err == OK ? SRV_LATER : err;
}

int serve_blk_read(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r)
{
    (void)s, (void)r;
    return start(c, m, SLOT_READ);
}

int serve_blk_write(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r)
{
    (void)s, (void)r;
    return start(c, m, SLOT_WRITE);
}

int serve_blk_flush(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r)
{
    (void)s, (void)r;
    return start(c, m, SLOT_FLUSH);
}

int serve_blk_info(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r)
{
    (void)s, (void)c, (void)m;
    *msg_payload(r, struct blk_info) = (struct blk_info){blk.sectors, SECTOR_BYTES, SLOT_BYTES};
    return OK;
}

static struct srv_client *client_of(uint32_t gen)
{
    for (unsigned i = 0; gen != 0 && i < srv_clients(server); i++) {
        struct srv_client *c = srv_client_at(server, i);
        if (c != NULL && c->gen == gen)
            return c;
    }
    return NULL; /* it left meanwhile: the answer has no one to go to */
}

static void done(struct slot *sl, err_t result)
{
    struct srv_client *c = client_of(sl->client);
    if (c == NULL)
        return;
    if (result == OK && sl->kind == SLOT_READ)
        result = srv_grant_write(c, sl->offset, sl->data, sl->bytes);
    msg_t r = {.type = (uint16_t)result};
    if (result == OK) {
        *msg_payload(&r, struct blk_done) =
            (struct blk_done){sl->tag, sl->kind == SLOT_FLUSH ? 0 : sl->bytes};
        r.len = sizeof(struct blk_done);
    }
    srv_answer(server, c, &r);
}

void blk_serve_completions(struct srv *s)
{
    server = s;
    blkdev_complete(done);
}
