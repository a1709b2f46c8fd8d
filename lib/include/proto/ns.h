/* proto/ns.h — the name service every monitor offers its core's domains over
 * LMP (their endpoint in CAP_SLOT_MONITOR). A server registers a name with an
 * endpoint capability passed along; a client looks the name up and gets a copy
 * of that capability. Replies carry an err_t as the message type. */
#ifndef PROTO_NS_H
#define PROTO_NS_H

#include <msg.h>

#define NS_NAME_MAX 48 /* including the NUL */

enum ns_msg_type {
    NS_REGISTER = 0x100, /* name; capability: the endpoint to publish */
    NS_LOOKUP,           /* name; the reply brings the endpoint */
};

struct ns_name {
    char name[NS_NAME_MAX];
};
MSG_PAYLOAD_FITS(struct ns_name);

#endif
