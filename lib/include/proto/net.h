/* proto/net.h — NET's protocol (servers/net), for clients on every core.
 * Addresses are IPv4 addresses as numbers, the first byte most significant
 * (10.0.2.15 is 0x0a00020f); ports are numbers too. Three parts: the
 * interfaces (for ifconfig), ICMP echo (for ping), and sockets (for
 * lib/posix). A socket belongs to the client (the channel) that made it and
 * goes when the client goes. Data moves through the frame the client granted
 * (proto/srv.h): a send names bytes there, a receive names room there. A call
 * that has to wait for the network (connect, accept, a receive with nothing
 * yet, a send with no room, a poll with nothing ready) is answered when it
 * can be, unless its flags say NET_NONBLOCK: then ERR_WOULDBLOCK (EAGAIN),
 * or ERR_INPROGRESS for a connect. A client has one call at a time. */
#ifndef PROTO_NET_H
#define PROTO_NET_H

#include <proto.h>

#define NET_NAME "net"

#define NET_IF_NAME_MAX 8
#define NET_PING_MAX    1472 /* data bytes of an echo request: one Ethernet frame */

/* struct net_ifinfo.flags */
#define NET_IF_UP       0x1 /* configured up */
#define NET_IF_LINK     0x2 /* its link (the driver and the device) is up */
#define NET_IF_DHCP     0x4 /* its address comes from DHCP */
#define NET_IF_LOOPBACK 0x8
#define NET_IF_ADDRESS  0x10 /* it has an address (DHCP answered) */

struct net_if_ask {
    uint32_t index; /* from 0; ERR_NOENT past the last */
};

struct net_ifinfo {
    char name[NET_IF_NAME_MAX]; /* "lo", "eth0": NUL-terminated */
    uint32_t addr, netmask, gateway;
    uint32_t mtu;
    uint32_t flags;
    uint8_t mac[6];
    uint8_t mac_len; /* 0 for the loopback interface */
    uint8_t pad;
};

struct net_ifstats {
    uint64_t rx_packets, tx_packets;
    uint64_t rx_errors, tx_errors;
    uint64_t rx_dropped; /* the device had no room, or the frame was malformed */
};

struct net_ping {
    uint32_t addr;
    uint16_t seq;
    uint16_t bytes;      /* data after the ICMP header, at most NET_PING_MAX */
    uint32_t timeout_ms; /* 1..60000 */
    uint32_t pad;
};

struct net_pong {
    uint64_t rtt_ns; /* from sending to the reply, by NET's clock */
    uint32_t from;
    uint16_t seq;
    uint16_t bytes; /* data bytes in the reply */
    uint8_t ttl;
    uint8_t pad[7];
};

/* Sockets. */
#define NET_TCP 1
#define NET_UDP 2

#define NET_NONBLOCK 0x1 /* flags: do not wait */

/* NET_SETOPT and NET_GETOPT options */
#define NET_OPT_REUSEADDR 1 /* bind a port that a closed connection still holds */
#define NET_OPT_NODELAY   2 /* TCP: send small segments at once (no Nagle) */
#define NET_OPT_ERROR     3 /* get: the pending error (an err_t), then cleared */
#define NET_OPT_TYPE      4 /* get: NET_TCP or NET_UDP */

/* NET_SHUTDOWN's how */
#define NET_SHUT_RD 0x1
#define NET_SHUT_WR 0x2

/* struct net_pollfd events and revents */
#define NET_POLLIN   0x1 /* data, a connection to accept, or the peer's end */
#define NET_POLLOUT  0x4 /* room to send */
#define NET_POLLERR  0x8
#define NET_POLLHUP  0x10
#define NET_POLLNVAL 0x20 /* not a socket of this client */

#define NET_SOCK_MAX_POLL 65536 /* sockets in one poll: the grant's room decides first */

struct net_socket {
    uint32_t kind; /* NET_TCP or NET_UDP */
    uint32_t pad;
};

/* A socket and one number: backlog (listen), flags (accept), how (shutdown),
 * which (sockname: 0 this end, 1 the peer's), an option (getopt). */
struct net_sock {
    uint32_t sock;
    uint32_t arg;
};

struct net_endpoint {
    uint32_t sock;
    uint32_t addr;
    uint16_t port;
    uint16_t flags; /* connect's NET_NONBLOCK */
    uint32_t pad;
};

struct net_io {
    uint64_t offset; /* in the grant */
    uint32_t sock;
    uint32_t bytes;
    uint32_t flags;
    uint32_t addr; /* send on UDP: where to (0 with port 0: the connected peer) */
    uint16_t port;
    uint16_t pad[3];
};

/* What a socket call answers: a new socket (socket, accept), bytes moved
 * (send, receive; 0 from a receive is the peer's end), an address and port
 * (accept's and a UDP receive's peer, name's), a count (poll) or a value (getopt). */
struct net_done {
    uint32_t sock;
    uint32_t bytes;
    uint32_t addr;
    uint16_t port;
    uint16_t pad;
    uint32_t value;
    uint32_t pad2;
};

struct net_opt {
    uint32_t sock;
    uint32_t opt;
    uint32_t value;
    uint32_t pad;
};

/* A poll: count struct net_pollfd at offset of the grant; revents written
 * back there. timeout_ms < 0 waits without end. */
struct net_poll {
    uint64_t offset;
    uint32_t count;
    int32_t timeout_ms;
};

struct net_pollfd {
    uint32_t sock;
    uint16_t events;
    uint16_t revents;
};

static inline bool net_socket_ok(const void *p)
{
    const struct net_socket *q = p;
    return q->kind == NET_TCP || q->kind == NET_UDP;
}

static inline bool net_shutdown_ok(const void *p)
{
    const struct net_sock *q = p;
    return q->arg != 0 && (q->arg & ~(uint32_t)(NET_SHUT_RD | NET_SHUT_WR)) == 0;
}

static inline bool net_sockname_ok(const void *p) { return ((const struct net_sock *)p)->arg <= 1; }

static inline bool net_poll_ok(const void *p)
{
    const struct net_poll *q = p;
    return q->count <= NET_SOCK_MAX_POLL;
}

static inline bool net_ping_ok(const void *p)
{
    const struct net_ping *q = p;
    return q->bytes <= NET_PING_MAX && q->timeout_ms >= 1 && q->timeout_ms <= 60000;
}

#define NET_MESSAGES(X)                                                                            \
    /* an interface's name, addresses and flags */                                                 \
    X(NET_IFINFO, 0xc00, net_ifinfo, struct net_if_ask, struct net_ifinfo, PROTO_IDEMPOTENT, NULL) \
    /* an interface's packet and error counts */                                                   \
    X(NET_IFSTATS, 0xc01, net_ifstats, struct net_if_ask, struct net_ifstats, PROTO_IDEMPOTENT,    \
      NULL)                                                                                        \
    /* one ICMP echo request, answered by its reply; ERR_TIMEDOUT without one in time,          */ \
    /* ERR_UNREACH with no route to addr, ERR_INVAL for bytes or a timeout out of range */         \
    X(NET_PING, 0xc02, net_ping, struct net_ping, struct net_pong, PROTO_IDEMPOTENT, net_ping_ok)  \
    /* a new socket, unbound and unconnected */                                                    \
    X(NET_SOCKET, 0xc10, net_socket, struct net_socket, struct net_done, 0, net_socket_ok)         \
    /* to an address of an interface (0: any) and a port (0: one NET picks); ERR_ADDRINUSE */      \
    X(NET_BIND, 0xc11, net_bind, struct net_endpoint, struct proto_none, 0, NULL)                  \
    /* TCP: takes connections, up to arg waiting to be accepted (at least 1) */                    \
    X(NET_LISTEN, 0xc12, net_listen, struct net_sock, struct proto_none, 0, NULL)                  \
    /* TCP: the next connection, a new socket with its peer; arg holds the flags */                \
    X(NET_ACCEPT, 0xc13, net_accept, struct net_sock, struct net_done, 0, NULL)                    \
    /* TCP: answered once connected, or ERR_REFUSED, ERR_TIMEDOUT; UDP: the peer for send */       \
    X(NET_CONNECT, 0xc14, net_connect, struct net_endpoint, struct proto_none, 0, NULL)            \
    /* bytes from the grant: answers how many were taken (at least 1, or an error) */              \
    X(NET_SEND, 0xc15, net_send, struct net_io, struct net_done, 0, NULL)                          \
    /* into the grant: TCP, what has come, up to bytes (0: the peer's end); UDP, one datagram      \
     * (cut to bytes) and its sender */                                                            \
    X(NET_RECV, 0xc16, net_recv, struct net_io, struct net_done, 0, NULL)                          \
    /* TCP: no more receiving (NET_SHUT_RD), sending (NET_SHUT_WR: the peer sees the end) */       \
    X(NET_SHUTDOWN, 0xc17, net_shutdown, struct net_sock, struct proto_none, 0, net_shutdown_ok)   \
    /* the socket goes; a TCP connection sends what it holds, then ends */                         \
    X(NET_CLOSE, 0xc18, net_close, struct net_sock, struct proto_none, 0, NULL)                    \
    /* this end's (arg 0) or the peer's (arg 1) address and port; ERR_NOTCONN */                   \
    X(NET_SOCKNAME, 0xc19, net_sockname, struct net_sock, struct net_done, PROTO_IDEMPOTENT,       \
      net_sockname_ok)                                                                             \
    X(NET_SETOPT, 0xc1a, net_setopt, struct net_opt, struct proto_none, 0, NULL)                   \
    /* the option's value in value */                                                              \
    X(NET_GETOPT, 0xc1b, net_getopt, struct net_opt, struct net_done, 0, NULL)                     \
    /* which sockets are ready (struct net_pollfd in the grant): answers how many */               \
    X(NET_POLL, 0xc1c, net_poll, struct net_poll, struct net_done, 0, net_poll_ok)

PROTO_TYPES(net_msg_type, NET_MESSAGES)

#endif
