/* boot.h — the boot sequence's shared decisions: kernel options from the
 * command line, and the boot core's count of cores that are ready. */
#ifndef BOOT_H
#define BOOT_H

#include "dispatch.h"
#include "kernel.h"

#define SYSTEM_EXIT_PANIC       101 /* a CPU driver panicked */
#define SYSTEM_EXIT_INCOMPLETE  102 /* powered off, but not every core came up */
#define SYSTEM_EXIT_BAD_ARCHIVE 103 /* the boot archive is missing or corrupt */

struct core_boot;

/* A spawn=NAME@CORE option. */
struct boot_spawn {
    char name[DISPATCHER_NAME_MAX];
    coreid_t core;
};

struct options {
    bool poweroff;
    int panic_core; /* panic=K: core K panics on purpose (tests the panic path); -1 */
};

/* Parses the kernel command line; reports words it does not understand. */
void options_parse(const char *cmdline, struct options *opts, bool report);
/* The next good spawn= option after *pos (NULL: from the start); false at the end. */
bool options_next_spawn(const char *cmdline, const char **pos, struct boot_spawn *s);
const struct options *options(void);

/* Boot core: starts core id (monitor 0's Kernel capability asked). */
MUST_CHECK err_t boot_start_core(coreid_t id);
/* Boot core: the RAM monitor 0 gets to share out (at least at_least): what
 * is free, less what the CPU drivers of every core keep for themselves. */
uint64_t boot_monitor0_ram(uint64_t at_least);
/* Boot core: where the boot channel between monitor 0 and core id's monitor is. */
paddr_t boot_monchan_for(coreid_t id);

/* Boot core: ends the system with status, after the other cores' last lines. */
NORETURN void boot_poweroff(int status);

/* This core's monitor is up and its boot domains are done. */
void boot_local_ready(void);
/* Boot core: core id said so. */
void boot_core_ready(coreid_t id);

/* Every core: the rest of start-up once on its own tables and stack. */
NORETURN void kernel_main(const struct core_boot *cb);

#endif
