/* syscall_nums.h — system call numbers, shared by the CPU drivers and the user
 * runtime. Every call returns an err_t and one 64-bit value. */
#ifndef SYSCALL_NUMS_H
#define SYSCALL_NUMS_H

enum syscall_num {
    SYS_PRINT = 1,      /* (const char *buf, size_t len): write to the console */
    SYS_YIELD = 2,      /* (): let other domains on this core run */
    SYS_EXIT = 3,       /* (int status): end this domain */
    SYS_CORE_ID = 4,    /* () -> this core's number */
    SYS_CORE_COUNT = 5, /* () -> number of cores online */
    SYS_SLEEP = 6,      /* (uint64_t ns): block for at least ns */
    SYS_MONITOR_UP = 7, /* (): the monitor says it is ready; monitors only */
    SYS__COUNT
};

#define SYS_PRINT_MAX 4096 /* longest buffer one SYS_PRINT accepts */

#endif
