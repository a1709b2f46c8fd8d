/* proto/netdev.h — a network device's protocol (drivers/virtio/net: "eth0",
 * "eth1", ...): Ethernet frames, without the device's own header, through the
 * client's grant (proto/srv.h). One client owns the device: the first to
 * receive or send; others get ERR_BUSY until it goes. It posts receives, each
 * naming room in its grant; a receive is answered when a frame has arrived
 * there, so frames flow only as fast as the owner posts receives (the device
 * holds what comes meanwhile, and drops what it cannot hold). A send is
 * answered once the frame is copied out of the grant: the grant's room is
 * free again at once. Every answer to a receive or a send, an error too,
 * carries the request's tag (struct netdev_done): the owner has many in
 * flight. Both need a channel of the client's own (ERR_WOULDBLOCK over LMP). */
#ifndef PROTO_NETDEV_H
#define PROTO_NETDEV_H

#include <proto.h>

#define NETDEV_NAME_FORMAT "eth%u"
#define NETDEV_FRAME_MIN   14   /* an Ethernet header */
#define NETDEV_FRAME_MAX   1514 /* header and 1500 bytes of payload; no FCS */

struct netdev_info {
    uint8_t mac[6];
    uint8_t link_up;
    uint8_t pad;
    uint32_t frame_max; /* NETDEV_FRAME_MAX */
    uint32_t recv_max;  /* the most receives that may wait at once */
    uint32_t pad2;
    uint64_t rx_frames, tx_frames; /* delivered to the owner, and sent */
    uint64_t rx_dropped;           /* arrived with no room, or malformed */
};

struct netdev_buf {
    uint64_t offset; /* in the client's grant */
    uint32_t bytes;  /* receive: room (at least frame_max); send: the frame's length */
    uint32_t pad;
    uint64_t tag; /* the client's, given back in the answer */
};

struct netdev_done {
    uint64_t tag;
    uint32_t bytes; /* the frame's length */
    uint32_t pad;
};

#define NETDEV_MESSAGES(X)                                                                         \
    /* the device's address and counts */                                                          \
    X(NETDEV_INFO, 0xb00, netdev_info, struct proto_none, struct netdev_info, PROTO_IDEMPOTENT,    \
      NULL)                                                                                        \
    /* room for one frame, answered when one arrived; ERR_RANGE past the grant or less room     */ \
    /* than frame_max, ERR_NOENT without a grant, ERR_BUSY if another owns the device or recv_max  \
     * receives wait already */                                                                    \
    X(NETDEV_RECV, 0xb01, netdev_recv, struct netdev_buf, struct netdev_done, PROTO_REISSUE, NULL) \
    /* one frame from the grant; ERR_INVAL for a length outside [FRAME_MIN, frame_max],         */ \
    /* ERR_BUSY if the device's send buffers are full (the frame is dropped: try later) */         \
    X(NETDEV_SEND, 0xb02, netdev_send, struct netdev_buf, struct netdev_done, PROTO_REISSUE, NULL)

PROTO_TYPES(netdev_msg_type, NETDEV_MESSAGES)

#endif
