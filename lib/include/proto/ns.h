/* proto/ns.h — the name service every monitor offers its core's domains over
 * LMP (their endpoint in CAP_SLOT_MONITOR). A server registers a name with an
 * endpoint capability passed along; a client looks the name up and gets a copy
 * of that capability. Replies carry an err_t as the message type. */
#ifndef PROTO_NS_H
#define PROTO_NS_H

#include <msg.h>

#define NS_NAME_MAX 40 /* including the NUL */

enum ns_msg_type {
    NS_REGISTER = 0x100, /* name; capability: the endpoint to publish */
    NS_LOOKUP,           /* name; the reply (struct ns_found) brings a capability */
    NS_CONNECTED,        /* monitor -> server: a client on another core; struct ns_found */
    NS_SPAWN,            /* struct ns_spawn; the reply (struct ns_spawned) says where */
};

#define NS_MODULE_MAX 32 /* a boot-archive module name, including the NUL */

/* Start module on core (any core online, this one included). */
struct ns_spawn {
    uint32_t core;
    char module[NS_MODULE_MAX];
};
MSG_PAYLOAD_FITS(struct ns_spawn);

struct ns_spawned {
    uint32_t core;
    uint32_t domain; /* its domain id on that core */
};
MSG_PAYLOAD_FITS(struct ns_spawned);

struct ns_name {
    char name[NS_NAME_MAX];
};
MSG_PAYLOAD_FITS(struct ns_name);

/* What a lookup found: an endpoint on this core (NS_LOCAL), or a channel frame
 * to a domain on another core (NS_REMOTE): a UMP channel of NS_CHAN_SLOTS
 * slots in NS_CHAN_BYTES, this side's number, and the core at the other end.
 * The same comes to a server with NS_CONNECTED, for its side. */
#define NS_CHAN_SLOTS 16
#define NS_CHAN_BYTES 4096

enum ns_kind { NS_LOCAL = 1, NS_REMOTE = 2 };

struct ns_found {
    uint32_t kind;
    uint32_t side;
    uint32_t peer_core;
};
MSG_PAYLOAD_FITS(struct ns_found);

#endif
