/* proto/net.h — NET's protocol (servers/net), for clients on every core.
 * Addresses are IPv4 addresses as numbers, the first byte most significant
 * (10.0.2.15 is 0x0a00020f). This is the first part of the protocol: the
 * interfaces (for ifconfig) and ICMP echo (for ping). Sockets will follow the
 * same pattern: small requests here, data through the client's grant
 * (proto/srv.h), a request that has to wait for the network answered later,
 * and every such answer carrying the request's tag. */
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
    X(NET_PING, 0xc02, net_ping, struct net_ping, struct net_pong, PROTO_IDEMPOTENT, net_ping_ok)

PROTO_TYPES(net_msg_type, NET_MESSAGES)

#endif
