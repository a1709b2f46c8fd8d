/* bench_proto.h — between benchcli and benchsrv. */
#ifndef BENCH_PROTO_H
#define BENCH_PROTO_H

#include <stdint.h>

enum {
    BENCH_PING = 1, /* payload: the sender's counter; reply: the one-way counter delta */
    BENCH_STREAM,   /* one of a stream: no reply */
    BENCH_COUNT,    /* reply: how many BENCH_STREAM came since the last COUNT */
    BENCH_BYE,      /* this client is done with this server */
    BENCH_DONE,     /* the client of this core has measured every server: the server
                     * registers "benchdone.K", which the next core's client waits for */
};

struct bench_msg {
    uint64_t value;
};

#endif
