/* ping.c — NET_PING: one ICMP echo request per message, sent through a raw
 * ICMP PCB; the request is answered when its reply comes (matched by
 * address, identifier and sequence number) or when its time is up. lwIP
 * itself answers echo requests that reach this host. */
#include "net.h"

#include <stdlib.h>
#include <sys.h>

#define TICK_MS 50 /* how often waiting pings are checked for their time */

struct ping {
    bool used;
    uint32_t client; /* its generation */
    uint32_t addr;
    uint16_t id, seq;
    uint64_t sent_ns, deadline_ns;
};

static struct raw_pcb *pcb;
static struct ping *pings;
static unsigned nping;
static uint16_t next_id;
static bool ticking;

static void answer(struct ping *p, err_t err, const struct net_pong *pong)
{
    struct srv_client *c = net_client(p->client);
    p->used = false;
    if (c == NULL)
        return; /* it left meanwhile */
    msg_t r = {.type = (uint16_t)err};
    if (err == OK) {
        *msg_payload(&r, struct net_pong) = *pong;
        r.len = sizeof *pong;
    }
    srv_answer(&net_srv, c, &r);
}

static void tick(void *arg)
{
    (void)arg;
    uint64_t now = sys_now_ns();
    bool waiting = false;
    for (unsigned i = 0; i < nping; i++) {
        if (pings[i].used && now >= pings[i].deadline_ns)
            answer(&pings[i], ERR_TIMEDOUT, NULL);
        waiting |= pings[i].used;
    }
    ticking = waiting;
    if (waiting)
        sys_timeout(TICK_MS, tick, NULL);
}

static u8_t got(void *arg, struct raw_pcb *raw, struct pbuf *p, const ip_addr_t *from)
{
    (void)arg, (void)raw;
    struct ip_hdr ip;
    struct icmp_echo_hdr echo;
    if (pbuf_copy_partial(p, &ip, sizeof ip, 0) != sizeof ip)
        return 0;
    u16_t hlen = (u16_t)(IPH_HL(&ip) * 4);
    if (hlen < IP_HLEN || pbuf_copy_partial(p, &echo, sizeof echo, hlen) != sizeof echo ||
        echo.type != ICMP_ER)
        return 0;
    uint32_t addr = net_addr_of(ip_2_ip4(from));
    for (unsigned i = 0; i < nping; i++) {
        struct ping *q = &pings[i];
        if (q->used && q->addr == addr && q->id == lwip_ntohs(echo.id) &&
            q->seq == lwip_ntohs(echo.seqno)) {
            struct net_pong pong = {.rtt_ns = sys_now_ns() - q->sent_ns,
                                    .from = addr,
                                    .seq = q->seq,
                                    .bytes = (uint16_t)(p->tot_len - hlen - sizeof echo),
                                    .ttl = IPH_TTL(&ip)};
            answer(q, OK, &pong);
            pbuf_free(p);
            return 1;
        }
    }
    return 0; /* not ours: lwIP goes on with it */
}

err_t ping_init(void)
{
    pcb = raw_new(IP_PROTO_ICMP);
    if (pcb == NULL)
        return ERR_NOMEM;
    raw_recv(pcb, got, NULL);
    return OK;
}

static struct ping *free_ping(void)
{
    for (unsigned i = 0; i < nping; i++) {
        if (!pings[i].used)
            return &pings[i];
    }
    unsigned n = nping == 0 ? 8 : 2 * nping;
    struct ping *grown = realloc(pings, n * sizeof *grown);
    if (grown == NULL)
        return NULL;
    for (unsigned i = nping; i < n; i++)
        grown[i].used = false;
    pings = grown;
    struct ping *p = &pings[nping];
    nping = n;
    return p;
}

static err_t send_echo(const struct net_ping *q, uint16_t id)
{
    u16_t bytes = (u16_t)(sizeof(struct icmp_echo_hdr) + q->bytes);
    struct pbuf *p = pbuf_alloc(PBUF_IP, bytes, PBUF_RAM);
    if (p == NULL)
        return ERR_NOMEM;
    struct icmp_echo_hdr *echo = p->payload;
    echo->type = ICMP_ECHO, echo->code = 0, echo->chksum = 0;
    echo->id = lwip_htons(id), echo->seqno = lwip_htons(q->seq);
    uint8_t *data = (uint8_t *)(echo + 1);
    for (unsigned i = 0; i < q->bytes; i++)
        data[i] = (uint8_t)i;
    echo->chksum = inet_chksum(echo, bytes);
    ip_addr_t to;
    ip_addr_set_ip4_u32(&to, lwip_htonl(q->addr));
    err_t err = OK;
    switch (raw_sendto(pcb, p, &to)) {
    case ERR_OK:
        break;
    case ERR_RTE:
        err = ERR_UNREACH;
        break;
    case ERR_MEM:
    case ERR_BUF:
        err = ERR_NOMEM;
        break;
    default:
        err = ERR_IO;
    }
    pbuf_free(p);
    return err;
}

int serve_net_ping(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r)
{
    (void)s, (void)r;
    if (c->local)
        return ERR_WOULDBLOCK; /* answered later: a channel of its own is needed */
    const struct net_ping *q = msg_payload_const(m, struct net_ping);
    struct ping *p = free_ping();
    if (p == NULL)
        return ERR_NOMEM;
    if (++next_id == 0)
        next_id = 1;
    uint64_t now = sys_now_ns();
    err_t err = send_echo(q, next_id);
    if (err != OK)
        return err;
    *p = (struct ping){.used = true,
                       .client = c->gen,
                       .addr = q->addr,
                       .id = next_id,
                       .seq = q->seq,
                       .sent_ns = now,
                       .deadline_ns = now + (uint64_t)q->timeout_ms * 1000000u};
    if (!ticking) {
        ticking = true;
        sys_timeout(TICK_MS, tick, NULL);
    }
    return SRV_LATER;
}

void ping_left(struct srv_client *c)
{
    for (unsigned i = 0; i < nping; i++) {
        if (pings[i].used && pings[i].client == c->gen)
            pings[i].used = false;
    }
}
