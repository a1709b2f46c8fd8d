/* blk.h — the virtio block driver's parts: the device and its requests in
 * flight (device.c) and the protocol's handlers (serve.c); the device comes
 * from the bus driver (virtio_drv.h). */
#ifndef VIRTIO_BLK_H
#define VIRTIO_BLK_H

#include <err.h>
#include <proto/blk.h>
#include <server.h>
#include <stdbool.h>
#include <stdint.h>
#include <virtio.h>

#define VIRTIO_BLOCK 2 /* the device type */
#define SECTOR_BYTES 512
#define SLOTS        16          /* requests in flight at once, from all clients */
#define SLOT_BYTES   (64 * 1024) /* the most one request moves */
#define QUEUE_SIZE   64          /* descriptors: three a request */

enum slot_kind { SLOT_READ = 1, SLOT_WRITE, SLOT_FLUSH };

/* The device's header and status byte of one request (virtio 1.1, 5.2.6). */
struct blk_req_hdr {
    uint32_t type;
    uint32_t reserved;
    uint64_t sector;
};

struct slot {
    bool busy;
    uint8_t kind;    /* enum slot_kind */
    uint32_t client; /* the client's generation (srv_client.gen); 0 if it left */
    uint64_t offset; /* in its grant */
    uint32_t bytes;
    uint64_t tag;
    uint16_t head;           /* the chain in the queue */
    struct blk_req_hdr *hdr; /* in DMA memory */
    volatile uint8_t *status;
    uint8_t *data;
    uint64_t hdr_pa, status_pa, data_pa;
};

struct blkdev {
    struct virtio_dev dev;
    struct virtq q;
    capaddr_t irq;
    uint64_t sectors;
    struct slot slots[SLOTS];
};

extern struct blkdev blk;

/* The device blk.dev (attached), started with its queue and its DMA memory;
 * ERR_NOSYS if it is not one this driver can drive. */
MUST_CHECK err_t blkdev_start(void);
/* A free slot, or NULL if SLOTS are in flight. */
struct slot *blkdev_slot(void);
/* Offers the request in sl to the device. */
MUST_CHECK err_t blkdev_submit(struct slot *sl, uint64_t sector);
/* Hands each finished request to done, with OK or the device's error. */
void blkdev_complete(void (*done)(struct slot *sl, err_t result));

/* The protocol's handlers (serve.c), and what the interrupt runs. */
int serve_blk_info(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r);
int serve_blk_read(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r);
int serve_blk_write(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r);
int serve_blk_flush(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r);
void blk_serve_completions(struct srv *s);

#endif
