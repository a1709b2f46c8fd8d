/* net.h — NET's parts: the event loop and the lwIP port (main.c, port.c),
 * the interfaces over network drivers (link.c), and the protocol's handlers
 * (ifs.c, ping.c). Everything runs in the one loop: lwIP is never entered
 * from two places at once. */
#ifndef NET_NET_H
#define NET_NET_H

#include "stack.h"
#include <err.h>
#include <grant.h>
#include <proto/net.h>
#include <proto/ns.h>
#include <server.h>
#include <stdbool.h>
#include <stdint.h>

/* An Ethernet interface over a network driver ("eth0": proto/netdev.h). */
struct link {
    struct netif netif; /* first: lwIP's netif->state leads back here */
    char name[NS_NAME_MAX];
    struct srv_upstream up; /* the channel to the driver, while attached */
    bool attached;
    struct grant grant; /* receive slots, then send slots, SLOT_BYTES each */
    uint32_t recv_slots, send_slots;
    bool *busy;          /* by slot: the driver has it (a receive posted, a send not answered) */
    uint32_t *send_free; /* free send slots (a stack) */
    uint32_t send_free_count;
    struct txq *txq, *txq_tail; /* frames waiting for a send slot (link.c) */
    uint32_t txq_count;
    uint32_t retry_ms; /* the next wait before trying the driver again; 0: the first */
    uint64_t rx_packets, tx_packets, rx_errors, tx_errors, rx_dropped;
};

extern struct srv net_srv;

/* The link for network device which ("ethN"): added to lwIP, attached to
 * its driver if it comes within wait_ns (otherwise it keeps trying). */
MUST_CHECK err_t link_add(unsigned which, uint64_t wait_ns, struct link **out);
/* The link behind an lwIP interface, or NULL (the loopback interface). */
struct link *link_of(struct netif *n);

/* The client that has generation gen, or NULL if it left. */
struct srv_client *net_client(uint32_t gen);

/* The protocol's handlers. */
int serve_net_ifinfo(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r);
int serve_net_ifstats(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r);
int serve_net_ping(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r);
MUST_CHECK err_t ping_init(void);
void ping_left(struct srv_client *c);

/* Sockets (sock.c). A client's call that waits for the network: run again
 * after something happens to one of its sockets (kept in srv_state). */
struct net_waiter {
    bool waiting;
    bool woken; /* something happened: run it again */
    uint16_t type;
    uint8_t len;
    uint8_t payload[MSG_PAYLOAD_SIZE];
};
int serve_net_socket(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r);
int serve_net_bind(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r);
int serve_net_listen(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r);
int serve_net_accept(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r);
int serve_net_connect(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r);
int serve_net_send(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r);
int serve_net_recv(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r);
int serve_net_shutdown(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r);
int serve_net_close(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r);
int serve_net_sockname(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r);
int serve_net_setopt(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r);
int serve_net_getopt(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r);
int serve_net_poll(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r);
/* Runs the waiting calls that something happened to; whether any ran (then
 * lwIP may have more to do at once). */
bool sock_wakeups(void);
/* Closes the sockets of a client that goes. */
void sock_left(struct srv_client *c);

/* Addresses: lwIP's (network order) and the protocol's (a number). */
uint32_t net_addr_of(const ip4_addr_t *a);

#endif
