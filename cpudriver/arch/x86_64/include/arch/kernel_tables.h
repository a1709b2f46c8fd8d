/* kernel_tables.h — builds one core's kernel page tables. A pure function of its
 * inputs (no globals), so the boot core can run it before its own private data
 * is mapped, and again for every other core before starting it. */
#ifndef ARCH_KERNEL_TABLES_H
#define ARCH_KERNEL_TABLES_H

#include <kernel.h>

struct kernel_tables_plan {
    paddr_t pool;        /* zeroed frames for the tables */
    unsigned pool_pages; /* how many */
    uint64_t access;     /* virtual = physical + access, for writing the tables */
    paddr_t data_phys;   /* this core's copy of .data/.bss */
    uint64_t data_bytes;
    uint64_t direct_top; /* the direct map covers [0, direct_top) */
};

/* Frames a core's tables need for a direct map up to direct_top. */
unsigned kernel_tables_pages(uint64_t direct_top);

/* Fills the pool with tables mapping the image, the core's data and the direct
 * map; returns the physical address of the root (PML4), or 0 if the pool is too
 * small. */
paddr_t kernel_tables_build(const struct kernel_tables_plan *plan);

#endif
