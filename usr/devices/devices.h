/* devices.h — the devices utility's words for numbers (names.c). */
#ifndef DEVICES_H
#define DEVICES_H

#include <stdint.h>

const char *virtio_type_name(uint32_t type);
const char *pci_class_name(uint8_t class_code, uint8_t subclass);

#endif
