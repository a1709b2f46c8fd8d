/* device.c — a virtio block device (virtio 1.1, 5.2) through lib/virtio:
 * one request queue, SLOTS requests in flight, each a header, its data and a
 * status byte in DMA memory the driver owns. Data is copied between that
 * memory and the client's grant (serve.c), so a device never sees a client's
 * memory and a client never sees another's. */
#include "blk.h"

#include <string.h>
#include <virtio_drv.h>

#define VIRTIO_BLK_T_IN    0
#define VIRTIO_BLK_T_OUT   1
#define VIRTIO_BLK_T_FLUSH 4
#define VIRTIO_BLK_F_FLUSH (1ull << 9)
#define VIRTIO_BLK_S_OK    0

#define PAGE 4096ull

struct blkdev blk;

static void slots_lay_out(uint8_t *va, uint64_t pa)
{
    uint8_t *small = va + PAGE; /* headers and status bytes: one page after the queue */
    for (unsigned i = 0; i < SLOTS; i++) {
        struct slot *sl = &blk.slots[i];
        uint64_t h = 32u * i;
        sl->hdr = (struct blk_req_hdr *)(small + h);
        sl->status = small + h + 16;
        sl->hdr_pa = pa + PAGE + h;
        sl->status_pa = pa + PAGE + h + 16;
        sl->data = va + 2 * PAGE + (uint64_t)i * SLOT_BYTES;
        sl->data_pa = pa + 2 * PAGE + (uint64_t)i * SLOT_BYTES;
    }
}

err_t blkdev_start(void)
{
    err_t err = virtio_start(&blk.dev, VIRTIO_BLK_F_FLUSH);
    if (err == OK)
        err = virtio_config_read64(&blk.dev, 0, &blk.sectors); /* capacity */
    uint8_t *va;
    uint64_t pa;
    if (err == OK)
        err = virtio_dma_alloc(2 * PAGE + (uint64_t)SLOTS * SLOT_BYTES, &va, &pa);
    if (err == OK)
        err = virtq_init(&blk.q, QUEUE_SIZE, va, pa);
    if (err == OK)
        err = virtio_queue_setup(&blk.dev, 0, &blk.q);
    if (err != OK)
        return err;
    slots_lay_out(va, pa);
    virtio_ready(&blk.dev);
    return OK;
}

struct slot *blkdev_slot(void)
{
    for (unsigned i = 0; i < SLOTS; i++) {
        if (!blk.slots[i].busy)
            return &blk.slots[i];
    }
    return NULL;
}

err_t blkdev_submit(struct slot *sl, uint64_t sector)
{
    bool flush = sl->kind == SLOT_FLUSH;
    *sl->hdr = (struct blk_req_hdr){
        .type = flush                    ? VIRTIO_BLK_T_FLUSH
                : sl->kind == SLOT_WRITE ? VIRTIO_BLK_T_OUT
                                         : VIRTIO_BLK_T_IN,
        .sector = flush ? 0 : sector,
    };
    *sl->status = 0xff; /* not yet written by the device */
    struct virtq_buf bufs[3] = {{sl->hdr_pa, sizeof *sl->hdr, false}};
    unsigned n = 1;
    if (!flush)
        bufs[n++] = (struct virtq_buf){sl->data_pa, sl->bytes, sl->kind == SLOT_READ};
    bufs[n++] = (struct virtq_buf){sl->status_pa, 1, true};
    err_t err = virtq_add(&blk.q, bufs, n, &sl->head);
    if (err != OK)
        return err;
    sl->busy = true;
    if (virtq_kick_wanted(&blk.q))
        virtio_notify(&blk.dev, 0);
    return OK;
}

void blkdev_complete(void (*done)(struct slot *sl, err_t result))
{
    (void)virtio_isr(&blk.dev);
    uint16_t head;
    uint32_t written;
    err_t err;
    while ((err = virtq_get(&blk.q, &head, &written)) != ERR_EMPTY) {
        if (err != OK)
            continue; /* the device named a chain not in flight: nothing to answer */
        for (unsigned i = 0; i < SLOTS; i++) {
            struct slot *sl = &blk.slots[i];
            if (sl->busy && sl->head == head) {
                sl->busy = false;
                done(sl, *sl->status == VIRTIO_BLK_S_OK ? OK : ERR_IO);
                break;
            }
        }
    }
}
