/* link.c — NET's Ethernet interfaces, each over a network driver
 * (proto/netdev.h): frames move through one grant, receive slots first, then
 * send slots. Receives stay posted with the driver; each answer hands a frame
 * to lwIP and posts its slot again. When the driver dies the link goes down
 * (lwIP keeps the address) and NET attaches to the restarted driver, which
 * brings the link up again. Nothing the driver answers is trusted: tags and
 * lengths are checked before use. */
#include "net.h"

#include <fmt.h>
#include <proto/netdev.h>
#include <proto_chan.h>
#include <stdlib.h>
#include <string.h>
#include <sys.h>

PROTO_CHAN_CALLS(NETDEV_MESSAGES)

#define SLOT_BYTES 2048 /* one frame, at least NETDEV_FRAME_MAX */
/* Requests in flight to the driver, all together, stay within
 * NS_CHAN_IN_FLIGHT: then NET's sends never wait, and the driver's answers
 * always fit (a server cuts off a client whose answers do not). */
#define RECV_SLOTS   (NS_CHAN_IN_FLIGHT / 2) /* at most; fewer if the driver takes fewer */
#define SEND_SLOTS   (NS_CHAN_IN_FLIGHT - RECV_SLOTS)
#define RETRY_MS     200  /* the first wait to attach again, or to post a refused receive */
#define RETRY_MAX_MS 5000 /* doubling up to this while the driver stays away */
#define MTU          1500
#define PAGE         4096ull
/* Frames that wait for a send slot; past this many lwIP hears ERR_IF (TCP
 * sends again later, as after a loss). */
#define TXQ_MAX 512

/* A frame lwIP gave while every send slot was the driver's: a copy, sent
 * when a slot comes back. */
struct txq {
    struct txq *next;
    uint32_t bytes;
    uint8_t frame[];
};

static void txq_send(struct link *l);
static void txq_drop(struct link *l);

static uint64_t slot_offset(uint32_t slot) { return (uint64_t)slot * SLOT_BYTES; }

struct link *link_of(struct netif *n)
{
    return n != NULL && n->state != NULL ? (struct link *)n->state : NULL;
}

static void post_recv(struct link *l, uint32_t slot)
{
    msg_t m = MSG(NETDEV_RECV);
    *msg_payload(&m, struct netdev_buf) =
        (struct netdev_buf){.offset = slot_offset(slot), .bytes = SLOT_BYTES, .tag = slot};
    l->busy[slot] = chan_send(&l->up.chan, &m) == OK;
}

static void retry_tick(void *arg);

static void retry_later(struct link *l)
{
    l->retry_ms = l->retry_ms == 0 ? RETRY_MS : l->retry_ms;
    sys_untimeout(retry_tick, l);
    sys_timeout(l->retry_ms, retry_tick, l);
    l->retry_ms = l->retry_ms * 2 > RETRY_MAX_MS ? RETRY_MAX_MS : l->retry_ms * 2;
}

static err_t attach(struct link *l, uint64_t wait_ns);

/* Attaches a link that has lost its driver, or posts receives it refused. */
static void retry_tick(void *arg)
{
    struct link *l = arg;
    if (!l->attached) {
        if (attach(l, 0) != OK) {
            retry_later(l);
            return;
        }
        l->retry_ms = 0;
        sys_printf("net: %s: attached to its driver again\n", l->name);
        return;
    }
    for (uint32_t i = 0; i < l->recv_slots; i++) {
        if (!l->busy[i])
            post_recv(l, i);
    }
}

static void received(struct link *l, err_t err, const struct netdev_done *d)
{
    uint32_t slot = (uint32_t)d->tag;
    l->busy[slot] = false;
    if (err != OK) {
        l->rx_errors++;
        retry_later(l); /* not at once: a driver that refuses would be asked in a loop */
        return;
    }
    if (d->bytes < NETDEV_FRAME_MIN || d->bytes > NETDEV_FRAME_MAX) {
        l->rx_errors++;
    } else {
        struct pbuf *p = pbuf_alloc(PBUF_RAW, (u16_t)d->bytes, PBUF_POOL);
        if (p == NULL) {
            l->rx_dropped++;
        } else {
            (void)pbuf_take(p, (const void *)(l->grant.va + slot_offset(slot)), (u16_t)d->bytes);
            l->rx_packets++;
            l->retry_ms = 0; /* the driver takes receives again */
            if (l->netif.input(p, &l->netif) != ERR_OK)
                pbuf_free(p);
        }
    }
    post_recv(l, slot);
}

static void answered(struct srv *s, struct srv_upstream *u, const msg_t *m)
{
    (void)s;
    struct link *l = (struct link *)((char *)u - offsetof(struct link, up));
    const struct netdev_done *d = msg_payload_const(m, struct netdev_done);
    if (m->len < sizeof *d || d->tag >= (uint64_t)l->recv_slots + l->send_slots ||
        !l->busy[d->tag]) {
        l->rx_errors++; /* not an answer to a request in flight: nothing to match it with */
        return;
    }
    if (d->tag < l->recv_slots) {
        received(l, proto_reply_err(m), d);
        return;
    }
    l->busy[d->tag] = false;
    l->send_free[l->send_free_count++] = (uint32_t)d->tag;
    if (m->type == OK)
        l->tx_packets++;
    else
        l->tx_errors++;
    txq_send(l);
}

static void died(struct srv *s, struct srv_upstream *u)
{
    (void)s;
    struct link *l = (struct link *)((char *)u - offsetof(struct link, up));
    l->attached = false;
    txq_drop(l); /* lost as on a wire that went down: TCP sends again */
    chan_drop(&l->up.chan);
    netif_set_link_down(&l->netif);
    sys_printf("net: %s: its driver is gone; the link is down until it is back\n", l->name);
    retry_later(l);
}

/* Sends the frame now in slot's place of the grant; false if the driver
 * did not take the request (the slot is free again). */
static bool send_slot(struct link *l, uint32_t slot, uint32_t bytes)
{
    msg_t m = MSG(NETDEV_SEND);
    *msg_payload(&m, struct netdev_buf) =
        (struct netdev_buf){.offset = slot_offset(slot), .bytes = bytes, .tag = slot};
    l->busy[slot] = chan_try_send(&l->up.chan, &m) == OK;
    if (!l->busy[slot]) {
        l->send_free[l->send_free_count++] = slot;
        l->tx_errors++;
    }
    return l->busy[slot];
}

/* The frames that waited for slots, while there are slots. */
static void txq_send(struct link *l)
{
    while (l->txq != NULL && l->send_free_count > 0 && l->attached) {
        struct txq *q = l->txq;
        l->txq = q->next;
        l->txq_count--;
        if (l->txq == NULL)
            l->txq_tail = NULL;
        uint32_t slot = l->send_free[--l->send_free_count];
        memcpy((void *)(l->grant.va + slot_offset(slot)), q->frame, q->bytes);
        (void)send_slot(l, slot, q->bytes);
        free(q);
    }
}

static void txq_drop(struct link *l)
{
    while (l->txq != NULL) {
        struct txq *q = l->txq;
        l->txq = q->next;
        free(q);
    }
    l->txq_tail = NULL;
    l->txq_count = 0;
}

static lwip_err_t txq_add(struct link *l, struct pbuf *p)
{
    struct txq *q = l->txq_count < TXQ_MAX ? malloc(sizeof *q + p->tot_len) : NULL;
    if (q == NULL) {
        l->tx_errors++;
        return ERR_IF;
    }
    q->next = NULL;
    q->bytes = pbuf_copy_partial(p, q->frame, p->tot_len, 0);
    if (l->txq_tail != NULL)
        l->txq_tail->next = q;
    else
        l->txq = q;
    l->txq_tail = q;
    l->txq_count++;
    return ERR_OK;
}

static lwip_err_t link_output(struct netif *n, struct pbuf *p)
{
    struct link *l = link_of(n);
    if (!l->attached || p->tot_len < NETDEV_FRAME_MIN || p->tot_len > NETDEV_FRAME_MAX) {
        l->tx_errors++;
        return ERR_IF;
    }
    if (l->send_free_count == 0 || l->txq != NULL)
        return txq_add(l, p); /* in order, after those that wait */
    uint32_t slot = l->send_free[--l->send_free_count];
    if (pbuf_copy_partial(p, (void *)(l->grant.va + slot_offset(slot)), p->tot_len, 0) !=
        p->tot_len) {
        l->send_free[l->send_free_count++] = slot;
        l->tx_errors++;
        return ERR_BUF;
    }
    return send_slot(l, slot, p->tot_len) ? ERR_OK : ERR_IF;
}

/* Connects to the driver, learns its address, grants it the frame (again,
 * after a restart) and posts every receive. */
static err_t attach(struct link *l, uint64_t wait_ns)
{
    struct netdev_info info;
    err_t err = chan_connect(l->name, &l->up.chan, wait_ns);
    if (err != OK)
        return err;
    if ((err = netdev_info(&l->up.chan, NULL, &info)) != OK || info.recv_max == 0 ||
        info.frame_max > SLOT_BYTES) {
        chan_drop(&l->up.chan);
        return err != OK ? err : ERR_NOSYS;
    }
    if (l->grant.frame == 0) {
        l->recv_slots = info.recv_max < RECV_SLOTS ? info.recv_max : RECV_SLOTS;
        l->send_slots = SEND_SLOTS;
        uint64_t bytes = (uint64_t)(l->recv_slots + l->send_slots) * SLOT_BYTES;
        l->busy = calloc(l->recv_slots + l->send_slots, sizeof *l->busy);
        l->send_free = calloc(l->send_slots, sizeof *l->send_free);
        err = l->busy == NULL || l->send_free == NULL ? ERR_NOMEM : OK;
        if (err == OK)
            err = grant_offer(&l->up.chan, (bytes + PAGE - 1) & ~(PAGE - 1), &l->grant);
    } else if (info.recv_max < l->recv_slots) {
        err = ERR_NOSYS; /* a driver that takes fewer receives than before */
    } else {
        err = grant_renew(&l->up.chan, &l->grant);
    }
    if (err == OK)
        err = srv_upstream_add(&net_srv, &l->up);
    if (err != OK) {
        chan_drop(&l->up.chan);
        return err;
    }
    l->send_free_count = 0;
    for (uint32_t i = 0; i < l->send_slots; i++) {
        l->busy[l->recv_slots + i] = false;
        l->send_free[l->send_free_count++] = l->recv_slots + i;
    }
    memcpy(l->netif.hwaddr, info.mac, 6);
    l->attached = true;
    for (uint32_t i = 0; i < l->recv_slots; i++)
        post_recv(l, i);
    if (info.link_up)
        netif_set_link_up(&l->netif);
    return OK;
}

static lwip_err_t link_init(struct netif *n)
{
    n->name[0] = 'e', n->name[1] = 't';
    n->mtu = MTU;
    n->hwaddr_len = ETH_HWADDR_LEN;
    n->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET;
    n->output = etharp_output;
    n->linkoutput = link_output;
    return ERR_OK;
}

err_t link_add(unsigned which, uint64_t wait_ns, struct link **out)
{
    struct link *l = calloc(1, sizeof *l);
    if (l == NULL)
        return ERR_NOMEM;
    fmt_format(l->name, sizeof l->name, NETDEV_NAME_FORMAT, which);
    l->up.answered = answered;
    l->up.died = died;
    if (netif_add(&l->netif, IP4_ADDR_ANY4, IP4_ADDR_ANY4, IP4_ADDR_ANY4, l, link_init,
                  ethernet_input) == NULL) {
        free(l);
        return ERR_NOMEM;
    }
    err_t err = attach(l, wait_ns);
    if (err != OK)
        retry_later(l);
    *out = l;
    return err;
}
