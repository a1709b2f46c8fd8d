/* dma.c — memory a device reaches by physical address: RAM retyped into one
 * frame, mapped here. Without an IOMMU the device may write anywhere, so a
 * driver that uses this is trusted with memory (docs/devices.md). */
#include <ram.h>
#include <slot_alloc.h>
#include <sys.h>
#include <va_layout.h>
#include <virtio_drv.h>

err_t virtio_dma_alloc(uint64_t bytes, uint8_t **va, uint64_t *pa)
{
    capaddr_t ram, frame;
    uintptr_t at;
    err_t err;
    if ((err = slot_alloc(&ram)) != OK || (err = slot_alloc(&frame)) != OK)
        return err;
    if ((err = ram_alloc(bytes, ram, NULL)) != OK ||
        (err = cap_retype(ram, frame, CAP_FRAME, bytes, pa)) != OK ||
        (err = va_alloc(bytes, &at)) != OK || (err = frame_map(frame, at, 1)) != OK)
        return err;
    *va = (uint8_t *)at;
    return OK;
}
