/* ping_proto.h — between pingsrv and pingcli. */
#ifndef PING_PROTO_H
#define PING_PROTO_H

#include <stdint.h>

#define PINGS 20

enum { PING = 1, PONG };

struct ping {
    uint64_t seq;
    uint32_t core; /* the client's core, or the server's in a PONG */
};

#endif
