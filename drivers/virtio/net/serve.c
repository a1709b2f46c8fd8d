/* serve.c — the network device protocol (proto/netdev.h): one owner at a
 * time; its receives wait in order until frames arrive, its sends are copied
 * out of its grant into a send buffer at once. Every request is checked
 * (owner, lengths, range in the grant) before it reaches the device, and
 * every answer, an error too, carries the request's tag. */
#include "net.h"

#include <string.h>

/* A receive that waits for a frame: where it goes in the owner's grant. */
struct wait {
    uint64_t offset, tag;
};

static uint32_t owner; /* the owning client's generation (srv_client.gen); 0: none */
static struct wait waits[RX_BUFS];
static unsigned waits_first, waits_count;

static err_t own(struct srv_client *c)
{
    if (owner != 0 && owner != c->gen)
        return ERR_BUSY;
    owner = c->gen;
    return OK;
}

static err_t room_check(const struct srv_client *c, const struct netdev_buf *b, uint32_t bytes)
{
    if (c->grant.cap == 0)
        return ERR_NOENT;
    if (b->offset > c->grant.bytes || bytes > c->grant.bytes - b->offset)
        return ERR_RANGE;
    return OK;
}

static struct srv_client *owner_client(struct srv *s)
{
    for (unsigned i = 0; owner != 0 && i < srv_clients(s); i++) {
        struct srv_client *c = srv_client_at(s, i);
        if (c != NULL && c->gen == owner)
            return c;
    }
    return NULL;
}

/* Answers a receive or a send now, with its tag (not through the skeleton,
 * whose error answers carry nothing). */
static int tagged(struct srv *s, struct srv_client *c, err_t err, uint64_t tag, uint32_t bytes)
{
    msg_t r = {.type = (uint16_t)err, .len = sizeof(struct netdev_done)};
    *msg_payload(&r, struct netdev_done) = (struct netdev_done){tag, bytes, 0};
    srv_answer(s, c, &r);
    return SRV_LATER;
}

/* Hands received frames to the receives that wait, oldest to oldest. */
static void deliver(struct srv *s)
{
    struct srv_client *c = owner_client(s);
    struct netbuf *b;
    while (c != NULL && waits_count > 0 && (b = netdev_rx_next()) != NULL) {
        struct wait w = waits[waits_first];
        waits_first = (waits_first + 1) % RX_BUFS, waits_count--;
        err_t err = srv_grant_write(c, w.offset, b->va + NET_HDR_BYTES, b->bytes);
        if (err == OK)
            net.rx_frames++;
        else
            net.rx_dropped++;
        uint32_t bytes = b->bytes;
        netdev_rx_done();
        (void)tagged(s, c, err, w.tag, err == OK ? bytes : 0);
    }
}

int serve_netdev_info(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r)
{
    (void)s, (void)c, (void)m;
    struct netdev_info *i = msg_payload(r, struct netdev_info);
    *i = (struct netdev_info){.link_up = netdev_link_up(),
                              .frame_max = NETDEV_FRAME_MAX,
                              .recv_max = RX_BUFS,
                              .rx_frames = net.rx_frames,
                              .tx_frames = net.tx_frames,
                              .rx_dropped = net.rx_dropped};
    memcpy(i->mac, net.mac, sizeof i->mac);
    return OK;
}

int serve_netdev_recv(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r)
{
    (void)r;
    if (c->local)
        return ERR_WOULDBLOCK; /* answers come later: a channel of its own is needed */
    const struct netdev_buf *b = msg_payload_const(m, struct netdev_buf);
    err_t err = own(c);
    if (err == OK && b->bytes < NETDEV_FRAME_MAX)
        err = ERR_RANGE;
    if (err == OK)
        err = room_check(c, b, NETDEV_FRAME_MAX);
    if (err == OK && waits_count == RX_BUFS)
        err = ERR_BUSY;
    if (err != OK)
        return tagged(s, c, err, b->tag, 0);
    waits[(waits_first + waits_count++) % RX_BUFS] = (struct wait){b->offset, b->tag};
    deliver(s);
    return SRV_LATER;
}

int serve_netdev_send(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r)
{
    (void)r;
    if (c->local)
        return ERR_WOULDBLOCK; /* only the owner sends, over a channel of its own */
    const struct netdev_buf *b = msg_payload_const(m, struct netdev_buf);
    err_t err = own(c);
    if (err == OK && (b->bytes < NETDEV_FRAME_MIN || b->bytes > NETDEV_FRAME_MAX))
        err = ERR_INVAL;
    if (err == OK)
        err = room_check(c, b, b->bytes);
    struct netbuf *tx = err == OK ? netdev_tx_buf() : NULL;
    if (err == OK && tx == NULL)
        err = ERR_BUSY;
    if (err == OK)
        err = srv_grant_read(c, b->offset, tx->va + NET_HDR_BYTES, b->bytes);
    if (err == OK)
        err = netdev_tx_submit(tx, b->bytes);
    return tagged(s, c, err, b->tag, err == OK ? b->bytes : 0);
}

void net_serve_left(struct srv *s, struct srv_client *c)
{
    (void)s;
    if (c->gen == owner) {
        owner = 0; /* the next client to receive or send owns the device */
        waits_first = waits_count = 0;
    }
}

void net_serve_device(struct srv *s)
{
    netdev_poll();
    deliver(s);
}
