/* virtio_io.h — how lib/virtio touches device registers: one access of the
 * given width, ordered after every earlier write to memory a device may read
 * and before every later read of memory it may have written. lib/virtio_io
 * implements them for real devices; a host test gives its own. */
#ifndef VIRTIO_IO_H
#define VIRTIO_IO_H

#include <stdint.h>

uint8_t vio_read8(const volatile void *reg);
uint16_t vio_read16(const volatile void *reg);
uint32_t vio_read32(const volatile void *reg);
void vio_write8(volatile void *reg, uint8_t v);
void vio_write16(volatile void *reg, uint16_t v);
void vio_write32(volatile void *reg, uint32_t v);

#endif
