/* bootinfo.h — what the boot core learns about the machine and hands to every
 * core. The boot info page is written once by the boot core before any other
 * core starts and is read-only from then on; each core also gets its own
 * struct core_boot, which it copies into its private memory when it starts. */
#ifndef BOOTINFO_H
#define BOOTINFO_H

#include "kernel.h"
#include <arch/bootinfo_arch.h>
#include <dev_abi.h>

#define BOOT_MAX_RAM     32
#define BOOT_CMDLINE_MAX 1024

struct boot_ram {
    paddr_t base;
    uint64_t size;
};

struct boot_info {
    uint32_t core_count;
    uint32_t hw_ids[MAX_CORES]; /* APIC id or hart id of each logical core */
    paddr_t archive_phys;       /* the boot archive, read-only for everyone */
    uint64_t archive_size;
    char cmdline[BOOT_CMDLINE_MAX];
    uint32_t ram_count;
    struct boot_ram ram[BOOT_MAX_RAM];
    uint64_t timer_hz;  /* ticks per second of every core's timer */
    uint32_t bus_count; /* where devices are to be found (dev_abi.h) */
    struct bus_region bus[BUS_REGIONS_MAX];
    struct arch_boot_info arch;
};

/* One core's own start-up parameters, prepared by the boot core. */
struct core_boot {
    coreid_t id;
    uint32_t hw_id;
    paddr_t info;        /* the shared struct boot_info */
    paddr_t region_base; /* this core's private kernel memory: data, bss, tables */
    paddr_t region_end;
    paddr_t data_phys; /* where this core's .data/.bss live */
    paddr_t mem_base;  /* RAM this core's CPU driver allocates from */
    paddr_t mem_end;
    paddr_t chan_phys;    /* kernel channel to the boot core (none for core 0) */
    paddr_t monchan_phys; /* its monitor's boot channel to monitor 0 (none for core 0) */
    struct arch_core_boot arch;
};

/* This core's own copy of its core_boot, and the shared boot info. */
const struct core_boot *boot_self(void);
const struct boot_info *boot_info(void);
/* The boot core fills the boot info through this before other cores start. */
struct boot_info *boot_info_early(void);

#endif
