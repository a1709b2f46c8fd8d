/* proto/blk.h — a block device's protocol (drivers/virtio: "disk0", "disk1",
 * ...). Data moves through the client's grant (proto/srv.h): a request names
 * a byte offset in it and a length, a whole number of sectors. A client may
 * have several requests in flight; each answer carries the request's tag, and
 * answers come in the order the device finishes them. */
#ifndef PROTO_BLK_H
#define PROTO_BLK_H

#include <proto.h>

#define BLK_NAME_FORMAT "disk%u"

struct blk_info {
    uint64_t sectors;
    uint32_t sector_bytes;
    uint32_t max_bytes; /* the most one request moves */
};

struct blk_io {
    uint64_t lba;    /* the first sector */
    uint64_t offset; /* in the client's grant */
    uint32_t bytes;  /* a whole number of sectors, not 0 */
    uint32_t pad;
    uint64_t tag; /* the client's, given back in the answer */
};

struct blk_done {
    uint64_t tag;
    uint32_t bytes;
};

struct blk_flush {
    uint64_t tag;
};

#define BLK_MESSAGES(X)                                                                            \
    /* how large the disk is */                                                                    \
    X(BLK_INFO, 0xa00, blk_info, struct proto_none, struct blk_info, PROTO_IDEMPOTENT, NULL)       \
    /* sectors into the grant; ERR_RANGE past the disk or the grant, ERR_INVAL for a length     */ \
    /* that is 0 or not whole sectors, ERR_NOENT without a grant, ERR_FAULT if the device failed   \
     */                                                                                            \
    X(BLK_READ, 0xa01, blk_read, struct blk_io, struct blk_done, PROTO_IDEMPOTENT, NULL)           \
    /* sectors from the grant; the same errors */                                                  \
    X(BLK_WRITE, 0xa02, blk_write, struct blk_io, struct blk_done, PROTO_IDEMPOTENT, NULL)         \
    /* answered once everything written so far is on the disk */                                   \
    X(BLK_FLUSH, 0xa03, blk_flush, struct blk_flush, struct blk_done, PROTO_IDEMPOTENT, NULL)

PROTO_TYPES(blk_msg_type, BLK_MESSAGES)

#endif
