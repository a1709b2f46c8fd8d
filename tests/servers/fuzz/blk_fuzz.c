/* blk_fuzz.c — libFuzzer target: the virtio block driver's handlers
 * (drivers/virtio/blk/serve.c) over a device played here: a request it
 * accepts finishes after the next message, every fifth with the device's
 * error, a read's bytes a pattern of its sector. Clients read, write and
 * flush through their grants (harness.h); a client that leaves with requests
 * in flight gets no answer.
 * Run: build/host-fuzz/tests/servers/fuzz/blk_fuzz -max_total_time=60 */
#include "blk.h"
#include "harness.h"

#include <stdlib.h>
#include <string.h>

struct blkdev blk = {.sectors = 8192};
static uint8_t buffers[SLOTS][SLOT_BYTES];
static uint64_t sector_of[SLOTS];
static unsigned finished;

static const struct srv_op ops[] = {SRV_OPS(BLK_MESSAGES)};
static struct srv disk = {.name = "disk1", .grant_max = FUZZ_GRANT_BYTES, SRV_TABLE(ops)};

struct slot *blkdev_slot(void)
{
    for (unsigned i = 0; i < SLOTS; i++) {
        if (!blk.slots[i].busy) {
            blk.slots[i].data = buffers[i];
            return &blk.slots[i];
        }
    }
    return NULL;
}

err_t blkdev_submit(struct slot *sl, uint64_t sector)
{
    if (sl < blk.slots || sl >= blk.slots + SLOTS || sl->data != buffers[sl - blk.slots])
        abort(); /* not a slot blkdev_slot gave */
    if (sl->bytes > SLOT_BYTES || (sl->kind != SLOT_FLUSH && sector >= blk.sectors))
        abort(); /* serve.c's checks let through what the device would refuse */
    sl->busy = true;
    sector_of[sl - blk.slots] = sector;
    return OK;
}

void blkdev_complete(void (*done)(struct slot *sl, err_t result))
{
    for (unsigned i = 0; i < SLOTS; i++) {
        struct slot *sl = &blk.slots[i];
        if (!sl->busy)
            continue;
        if (sl->kind == SLOT_READ)
            memset(sl->data, (int)(sector_of[i] & 0xff), sl->bytes);
        sl->busy = false;
        done(sl, ++finished % 5 == 0 ? ERR_IO : OK);
    }
}

static void device_interrupt(void) { blk_serve_completions(&disk); }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_serve_input(&(struct fuzz_server){.srv = &disk, .after_each = device_interrupt}, data,
                     size);
    return 0;
}
