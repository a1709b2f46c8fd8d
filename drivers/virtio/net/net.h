/* net.h — the virtio network driver's parts: the device, its two queues and
 * its buffers (device.c), and the protocol's handlers (serve.c). Frames are
 * copied between the driver's DMA buffers and the owner's grant, so the
 * device never sees a client's memory. */
#ifndef VIRTIO_NET_H
#define VIRTIO_NET_H

#include <err.h>
#include <proto/netdev.h>
#include <server.h>
#include <stdbool.h>
#include <stdint.h>
#include <virtio.h>

#define VIRTIO_NET    1    /* the device type */
#define NET_HDR_BYTES 12   /* struct virtio_net_hdr with VIRTIO_F_VERSION_1 (virtio 1.1, 5.1.6) */
#define BUF_BYTES     2048 /* one frame and its header */
#define RX_BUFS       64   /* receive buffers offered to the device */
#define TX_BUFS       32   /* frames being sent at once */
#define QUEUE_SIZE    64   /* descriptors of each queue: one a buffer */
#define RXQ           0
#define TXQ           1

struct netbuf {
    uint8_t *va; /* DMA memory: the header, then the frame */
    uint64_t pa;
    uint16_t head;  /* its chain while the device has it */
    bool busy;      /* the device has it */
    uint32_t bytes; /* a received frame's length, without the header */
};

struct netdev {
    struct virtio_dev dev;
    struct virtq rxq, txq;
    uint8_t mac[6];
    struct netbuf rx[RX_BUFS], tx[TX_BUFS];
    uint16_t ready[RX_BUFS]; /* received frames not yet delivered, oldest first */
    unsigned ready_first, ready_count;
    uint64_t rx_frames, tx_frames, rx_dropped;
};

extern struct netdev net;

/* The device net.dev (attached), started with its queues, its buffers and
 * every receive buffer offered; ERR_NOSYS if it is not one this driver can
 * drive. */
MUST_CHECK err_t netdev_start(void);
/* Whether the device says its link is up (always, if it cannot say). */
bool netdev_link_up(void);
/* Takes what the device finished: received frames join the ready list (a
 * malformed one is counted and offered again), sent buffers are free again. */
void netdev_poll(void);
/* The oldest received frame not yet delivered, or NULL; netdev_rx_done
 * offers its buffer to the device again. */
struct netbuf *netdev_rx_next(void);
void netdev_rx_done(void);
/* A free send buffer, or NULL if TX_BUFS frames are being sent. */
struct netbuf *netdev_tx_buf(void);
/* Sends the frame of bytes in b (its header is written here). */
MUST_CHECK err_t netdev_tx_submit(struct netbuf *b, uint32_t bytes);

/* The protocol's handlers (serve.c), and what the interrupt runs. */
int serve_netdev_info(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r);
int serve_netdev_recv(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r);
int serve_netdev_send(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r);
void net_serve_left(struct srv *s, struct srv_client *c);
void net_serve_device(struct srv *s);

#endif
