/* dt.h — what the CPU driver needs from a flattened device tree (RISC-V: the
 * one OpenSBI passes in a1), read with libfdt. No globals and no allocation, so
 * it runs before the kernel's own memory exists; every property is checked for
 * size before use, and a tree that lacks what booting needs is refused with a
 * reason in m->why. */
#ifndef DT_H
#define DT_H

#include <dev_abi.h>
#include <err.h>
#include <stddef.h>
#include <stdint.h>

#define DT_MAX_HARTS    256
#define DT_MAX_RANGES   16
#define DT_BOOTARGS_MAX 1024
#define DT_NO_CONTEXT   0xffffffffu

struct dt_range {
    uint64_t base;
    uint64_t size;
};

struct dt_machine {
    uint32_t hart_count;
    uint32_t harts[DT_MAX_HARTS]; /* usable harts (status okay, with an MMU), in tree order */
    uint32_t mem_count;
    struct dt_range mem[DT_MAX_RANGES];
    uint32_t reserved_count; /* the memory reservation map and /reserved-memory */
    struct dt_range reserved[DT_MAX_RANGES];
    uint64_t timebase_hz;
    uint64_t uart_base; /* ns16550a; 0 if none */
    uint32_t uart_reg_shift;
    uint32_t uart_irq;  /* its PLIC source; 0 if it names none */
    uint64_t test_base; /* sifive,test0: power-off and exit status; 0 if none */
    uint64_t plic_base; /* 0 if none */
    /* The PLIC context of each usable hart's supervisor external interrupt
     * (parallel to harts[]), from the PLIC's interrupts-extended; DT_NO_CONTEXT
     * if it lists none. */
    uint32_t plic_s_context[DT_MAX_HARTS];
    uint64_t initrd_start, initrd_end; /* 0, 0 if none */
    uint32_t bus_count; /* where devices are: PCIe and virtio-mmio, in address order */
    struct bus_region bus[BUS_REGIONS_MAX];
    char bootargs[DT_BOOTARGS_MAX];
    uint64_t tree_size; /* the blob's own total size */
    const char *why;    /* set when dt_read fails */
};

/* Reads the tree at fdt (at most size bytes). ERR_BADMAGIC or ERR_BADHDR for a
 * header that is not a device tree, ERR_TRUNCATED if the tree claims more bytes
 * than there are, ERR_INVAL if something booting needs is missing or malformed. */
MUST_CHECK err_t dt_read(const void *fdt, size_t size, struct dt_machine *m);

/* dt_read's part that finds the buses (dt_bus.c), on a tree it has checked. */
void dt_read_buses(const void *fdt, struct dt_machine *m);

#endif
