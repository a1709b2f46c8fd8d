/* proto/srv.h — what every server built on the skeleton (server.h) answers
 * besides its own protocol: a client grants it a frame for bulk data (the
 * arguments of a spawn, a long write), exported through its monitor
 * (share.h). The grant lasts until the client grants another or goes. */
#ifndef PROTO_SRV_H
#define PROTO_SRV_H

#include <proto.h>
#include <proto/ns.h>

struct srv_grant_req {
    struct ns_export frame; /* on the client's core */
};

#define SRV_MESSAGES(X)                                                                            \
    X(SRV_GRANT, 0x0f00, srv_grant, struct srv_grant_req, struct proto_none, PROTO_IDEMPOTENT, NULL)

PROTO_TYPES(srv_msg_type, SRV_MESSAGES)

#endif
