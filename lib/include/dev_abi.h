/* dev_abi.h — how the CPU driver describes a device to a monitor, which makes
 * the capabilities for its driver from that (SYS_KERNEL_CONSOLE). */
#ifndef DEV_ABI_H
#define DEV_ABI_H

#include <stdint.h>

enum dev_access {
    DEV_IOPORT = 1, /* registers are I/O ports base .. base + size - 1 (x86) */
    DEV_MMIO = 2,   /* registers are memory at base, one each 1 << reg_shift bytes */
};

/* Interrupt lines are numbered below this on every platform: a PLIC has at
 * most 1024 sources, an I/O APIC fewer pins. Tables indexed by line use it. */
#define IRQ_LINES_MAX 1024

/* The 16550-compatible UART the console uses. */
struct console_device {
    uint32_t access; /* enum dev_access */
    uint32_t reg_shift;
    uint64_t base;
    uint64_t size;
    uint32_t irq; /* the line its IRQ capability names */
    uint32_t pad;
};

#endif
