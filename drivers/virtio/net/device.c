/* device.c — a virtio network device (virtio 1.1, 5.1) through lib/virtio:
 * queue 0 receives, queue 1 sends, each buffer one descriptor holding the
 * 12-byte header and a frame. Receive buffers stay with the device until a
 * frame lands in one; it comes back to the device once delivered. What the
 * device writes (chain heads, lengths) is checked before use. */
#include "net.h"

#include <string.h>
#include <virtio_drv.h>

#define VIRTIO_NET_F_MAC     (1ull << 5)
#define VIRTIO_NET_F_STATUS  (1ull << 16)
#define VIRTIO_NET_S_LINK_UP 1
#define PAGE                 4096ull

struct netdev net;

static uint64_t page_round(uint64_t n) { return (n + PAGE - 1) & ~(PAGE - 1); }

static err_t rx_offer(struct netbuf *b)
{
    struct virtq_buf buf = {b->pa, BUF_BYTES, true};
    err_t err = virtq_add(&net.rxq, &buf, 1, &b->head);
    if (err == OK)
        b->busy = true;
    return err;
}

static err_t mac_read(void)
{
    uint32_t lo, hi;
    err_t err = virtio_config_read32(&net.dev, 0, &lo);
    if (err == OK)
        err = virtio_config_read32(&net.dev, 4, &hi);
    if (err != OK)
        return err;
    uint8_t bytes[8];
    memcpy(bytes, &lo, 4), memcpy(bytes + 4, &hi, 4);
    memcpy(net.mac, bytes, 6);
    return OK;
}

err_t netdev_start(void)
{
    err_t err = virtio_start(&net.dev, VIRTIO_NET_F_MAC | VIRTIO_NET_F_STATUS);
    if (err == OK && (net.dev.features & VIRTIO_NET_F_MAC) == 0)
        err = ERR_NOSYS; /* an address of our own making would clash with the next guest's */
    if (err == OK)
        err = mac_read();
    uint64_t qbytes = page_round(virtq_bytes(QUEUE_SIZE));
    uint64_t bufs = (uint64_t)(RX_BUFS + TX_BUFS) * BUF_BYTES;
    uint8_t *va;
    uint64_t pa;
    if (err == OK)
        err = virtio_dma_alloc(2 * qbytes + page_round(bufs), &va, &pa);
    if (err == OK)
        err = virtq_init(&net.rxq, QUEUE_SIZE, va, pa);
    if (err == OK)
        err = virtq_init(&net.txq, QUEUE_SIZE, va + qbytes, pa + qbytes);
    if (err == OK)
        err = virtio_queue_setup(&net.dev, RXQ, &net.rxq);
    if (err == OK)
        err = virtio_queue_setup(&net.dev, TXQ, &net.txq);
    if (err != OK)
        return err;
    uint8_t *data = va + 2 * qbytes;
    uint64_t data_pa = pa + 2 * qbytes;
    for (unsigned i = 0; i < RX_BUFS + TX_BUFS; i++) {
        struct netbuf *b = i < RX_BUFS ? &net.rx[i] : &net.tx[i - RX_BUFS];
        *b = (struct netbuf){.va = data + (uint64_t)i * BUF_BYTES,
                             .pa = data_pa + (uint64_t)i * BUF_BYTES};
    }
    for (unsigned i = 0; i < RX_BUFS && err == OK; i++)
        err = rx_offer(&net.rx[i]);
    if (err != OK)
        return err;
    virtio_ready(&net.dev);
    virtio_notify(&net.dev, RXQ);
    return OK;
}

bool netdev_link_up(void)
{
    uint32_t word;
    if ((net.dev.features & VIRTIO_NET_F_STATUS) == 0 ||
        virtio_config_read32(&net.dev, 4, &word) != OK)
        return true;
    return ((word >> 16) & VIRTIO_NET_S_LINK_UP) != 0;
}

static struct netbuf *busy_with_head(struct netbuf *bufs, unsigned n, uint16_t head)
{
    for (unsigned i = 0; i < n; i++) {
        if (bufs[i].busy && bufs[i].head == head)
            return &bufs[i];
    }
    return NULL;
}

static void rx_poll(void)
{
    uint16_t head;
    uint32_t written;
    err_t err;
    bool offered = false;
    while ((err = virtq_get(&net.rxq, &head, &written)) != ERR_EMPTY) {
        struct netbuf *b = err == OK ? busy_with_head(net.rx, RX_BUFS, head) : NULL;
        if (b == NULL)
            continue; /* the device named a chain not in flight: nothing to take */
        b->busy = false;
        if (written < NET_HDR_BYTES + NETDEV_FRAME_MIN ||
            written > NET_HDR_BYTES + NETDEV_FRAME_MAX) {
            net.rx_dropped++;
            offered |= rx_offer(b) == OK;
            continue;
        }
        b->bytes = written - NET_HDR_BYTES;
        net.ready[(net.ready_first + net.ready_count++) % RX_BUFS] = (uint16_t)(b - net.rx);
    }
    if (offered && virtq_kick_wanted(&net.rxq))
        virtio_notify(&net.dev, RXQ);
}

static void tx_poll(void)
{
    uint16_t head;
    uint32_t written;
    err_t err;
    while ((err = virtq_get(&net.txq, &head, &written)) != ERR_EMPTY) {
        struct netbuf *b = err == OK ? busy_with_head(net.tx, TX_BUFS, head) : NULL;
        if (b != NULL)
            b->busy = false;
    }
}

void netdev_poll(void)
{
    (void)virtio_isr(&net.dev);
    rx_poll();
    tx_poll();
}

struct netbuf *netdev_rx_next(void)
{
    return net.ready_count == 0 ? NULL : &net.rx[net.ready[net.ready_first]];
}

void netdev_rx_done(void)
{
    struct netbuf *b = &net.rx[net.ready[net.ready_first]];
    net.ready_first = (net.ready_first + 1) % RX_BUFS;
    net.ready_count--;
    if (rx_offer(b) == OK && virtq_kick_wanted(&net.rxq))
        virtio_notify(&net.dev, RXQ);
}

struct netbuf *netdev_tx_buf(void)
{
    tx_poll();
    for (unsigned i = 0; i < TX_BUFS; i++) {
        if (!net.tx[i].busy)
            return &net.tx[i];
    }
    return NULL;
}

err_t netdev_tx_submit(struct netbuf *b, uint32_t bytes)
{
    memset(b->va, 0, NET_HDR_BYTES); /* no offloads: nothing for the device to do */
    struct virtq_buf buf = {b->pa, NET_HDR_BYTES + bytes, false};
    err_t err = virtq_add(&net.txq, &buf, 1, &b->head);
    if (err != OK)
        return err;
    b->busy = true;
    net.tx_frames++;
    if (virtq_kick_wanted(&net.txq))
        virtio_notify(&net.dev, TXQ);
    return OK;
}
