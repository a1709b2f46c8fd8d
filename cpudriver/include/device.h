/* device.h — the device-access system calls (device.c). */
#ifndef DEVICE_H
#define DEVICE_H

#include "cap.h"

struct dispatcher;

struct sysret_value device_sys_console(struct dispatcher *d, const uint64_t a[6]);
struct sysret_value device_sys_io_in(struct dispatcher *d, const uint64_t a[6]);
struct sysret_value device_sys_io_out(struct dispatcher *d, const uint64_t a[6]);
struct sysret_value device_sys_bus(struct dispatcher *d, const uint64_t a[6]);

/* Whether [base, base + bytes) lies inside a bus region the boot found. */
bool device_bus_range(paddr_t base, uint64_t bytes);

#endif
