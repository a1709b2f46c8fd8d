/* claim.c — takes a virtio block device from the bus driver: its registers
 * and its interrupt line, over LMP (the bus driver runs on this core). */
#include "blk.h"

#include <chan.h>
#include <lmp.h>
#include <proto/bus.h>
#include <slot_alloc.h>
#include <sys.h>
#include <va_layout.h>

#define FIND_NS      30000000000ull
#define VIRTIO_BLOCK 2

static err_t piece(struct chan *bus, unsigned which, uint32_t kind, capaddr_t *slot,
                   struct bus_piece *got)
{
    msg_t m = MSG(BUS_CLAIM), r;
    *msg_payload(&m, struct bus_claim) = (struct bus_claim){VIRTIO_BLOCK, which, kind};
    err_t err = slot_alloc(slot);
    if (err != OK)
        return err;
    err = lmp_call(bus->cap, &m, &r, 0, *slot);
    if (err == OK)
        err = (err_t)r.type;
    if (err == OK)
        *got = *msg_payload_const(&r, struct bus_piece);
    return err;
}

err_t blk_claim(unsigned which, volatile uint8_t **regs, uint32_t *bytes, capaddr_t *irq)
{
    struct chan bus;
    err_t err = chan_lookup_wait(BUS_NAME, &bus, FIND_NS);
    if (err != OK)
        return err;
    if (bus.kind != NS_LOCAL)
        return ERR_REMOTE; /* capabilities come only over LMP: place it with "pci" */
    capaddr_t frame;
    struct bus_piece p;
    struct cap_info info;
    uintptr_t va;
    if ((err = piece(&bus, which, BUS_PIECE_REGS, &frame, &p)) != OK ||
        (err = piece(&bus, which, BUS_PIECE_IRQ, irq, &p)) != OK)
        return err;
    if ((err = cap_identify(frame, &info)) != OK || (err = va_alloc(info.size, &va)) != OK ||
        (err = frame_map(frame, va, 1)) != OK)
        return err;
    *regs = (volatile uint8_t *)va;
    *bytes = (uint32_t)info.size;
    return OK;
}
