/* bootinfo_arch.h — the hosted parts of the boot info: how every core's
 * process reaches the machine's memory. */
#ifndef ARCH_BOOTINFO_ARCH_H
#define ARCH_BOOTINFO_ARCH_H

#include <stdint.h>

struct arch_boot_info {
    uint64_t boot_ns;    /* CLOCK_MONOTONIC at boot: every core's time 0 */
    uint64_t ram_bytes;  /* the size of the memory file (physical = offset) */
    char gdb_domain[32]; /* --gdb: the first domain of this name starts stopped */
};

struct arch_core_boot {
    uint64_t unused;
};

#endif
