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

/* Where a bus driver looks for devices: found by the boot (ACPI's MCFG on x86,
 * the device tree on RISC-V) and described to monitors (SYS_KERNEL_BUS), which
 * give the bus driver a DevFrame of each and, for a virtio-mmio slot, its line. */
enum bus_kind {
    BUS_PCIE_ECAM = 1,   /* PCI Express configuration space, 1 MiB per bus from first_bus */
    BUS_VIRTIO_MMIO = 2, /* one virtio-mmio slot (it may be empty: device id 0) */
};

struct bus_region {
    uint32_t kind; /* enum bus_kind */
    uint32_t irq;  /* virtio-mmio: its line; PCIe: the first of irq_count INTx lines (0: none) */
    uint64_t base;
    uint64_t size;
    uint64_t window_base;         /* PCIe: the memory the firmware placed BARs in; 0 if none */
    uint32_t window_pages;        /* its size */
    uint16_t first_bus, last_bus; /* PCIe */
    uint16_t irq_count;
};

#define BUS_REGIONS_MAX 16

/* The pieces of a PCIe region a monitor gives its bus driver besides its
 * buses (monitor/bus.c): the BAR window, and the INTx lines from irq. */
#define BUS_CAP_WINDOW 0x4000
#define BUS_CAP_INTX   0x8000

#endif
