/* virtio_drv.h — what every virtio driver does the same way
 * (drivers/virtio/common): take its device from the bus driver, and allocate
 * memory the device reaches by physical address. */
#ifndef VIRTIO_DRV_H
#define VIRTIO_DRV_H

#include <cap_types.h>
#include <err.h>
#include <stdint.h>
#include <virtio.h>

/* The which-th virtio device of virtio type from the bus driver (over LMP:
 * the driver runs on the bus driver's core), attached to dev (not started),
 * and its interrupt line. ERR_NOENT if there is none, ERR_NOSYS if it is not
 * one lib/virtio drives, ERR_REMOTE if the bus driver is on another core. */
MUST_CHECK err_t virtio_claim(uint32_t type, unsigned which, struct virtio_dev *dev,
                              capaddr_t *irq);

/* Which device of its kind the driver drives: its first argument, or the
 * digits its module's name ends in ("virtioblk1": 1, "virtioblk": 0). */
unsigned virtio_instance(int argc, char **argv);

/* bytes (whole pages) of zeroed memory, mapped at *va, at physical address
 * *pa: for a device's queues and buffers. */
MUST_CHECK err_t virtio_dma_alloc(uint64_t bytes, uint8_t **va, uint64_t *pa);

#endif
