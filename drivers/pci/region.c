/* region.c — the bus driver's device frames, asked of its monitor (the
 * "bus" device, monitor/bus.c), mapped uncached where they are read. */
#include "pci.h"

#include <lmp.h>
#include <proto/ns.h>
#include <slot_alloc.h>
#include <string.h>
#include <va_layout.h>

err_t region_cap(uint32_t region, uint32_t piece, struct bus_region *desc, capaddr_t *out,
                 volatile uint8_t **va)
{
    msg_t m = MSG(NS_DEVICE), r;
    struct ns_device *req = msg_payload(&m, struct ns_device);
    strcpy(req->name, "bus");
    req->index = region << 16 | piece;
    capaddr_t slot;
    err_t err = slot_alloc(&slot);
    if (err != OK)
        return err;
    err = lmp_call(CAP_SLOT_MONITOR, &m, &r, 0, slot);
    if (err == OK)
        err = (err_t)r.type;
    if (err != OK) {
        slot_free(slot);
        return err;
    }
    const struct ns_device_cap *got = msg_payload_const(&r, struct ns_device_cap);
    *desc = got->bus;
    *out = slot;
    if (va == NULL)
        return OK;
    struct cap_info info;
    uintptr_t at;
    if ((err = cap_identify(slot, &info)) != OK || (err = va_alloc(info.size, &at)) != OK)
        return err;
    if ((err = frame_map(slot, at, 1)) != OK)
        return err;
    *va = (volatile uint8_t *)at;
    return OK;
}
