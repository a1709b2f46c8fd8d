/* proto/srv.h — what every server built on the skeleton (server.h) answers
 * besides its own protocol: a client grants it a frame for bulk data (the
 * arguments of a spawn, a long write), exported through its monitor
 * (share.h), which lasts until the client grants another or goes; a
 * heartbeat; and a crash on demand, for tests of what restarts servers. */
#ifndef PROTO_SRV_H
#define PROTO_SRV_H

#include <proto.h>
#include <proto/ns.h>

struct srv_grant_req {
    struct ns_export frame; /* on the client's core */
};

#define SRV_MESSAGES(X)                                                                            \
    /* a frame of the client's for bulk data; ERR_PERM: of another core */                         \
    X(SRV_GRANT, 0x0f00, srv_grant, struct srv_grant_req, struct proto_none, PROTO_IDEMPOTENT,     \
      NULL)                                                                                        \
    /* answered by the skeleton at once: a server stuck in a handler does not (a heartbeat) */     \
    X(SRV_PING, 0x0f01, srv_ping, struct proto_none, struct proto_none, PROTO_IDEMPOTENT, NULL)    \
    /* the server crashes with a fault of its own; only for its parent process (by PM's table,     \
     * asked afresh), anyone else and a server that cannot ask PM get ERR_PERM */                  \
    X(SRV_FAULT, 0x0f02, srv_fault, struct proto_none, struct proto_none, 0, NULL)

PROTO_TYPES(srv_msg_type, SRV_MESSAGES)

#endif
