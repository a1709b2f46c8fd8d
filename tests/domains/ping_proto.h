/* ping_proto.h — the ping protocol, between pingsrv and its clients (pingcli,
 * crash_probe): one row. */
#ifndef PING_PROTO_H
#define PING_PROTO_H

#include <proto.h>
#include <stdint.h>

#define PINGS 20

struct ping {
    uint64_t seq;
    uint32_t core;   /* the client's core; in the answer, the server's */
    uint32_t served; /* in the answer: the pings this server has answered, this one too */
};

#define PING_MESSAGES(X) X(PING, 0x7000, ping, struct ping, struct ping, PROTO_IDEMPOTENT, NULL)

PROTO_TYPES(ping_msg_type, PING_MESSAGES)

#endif
