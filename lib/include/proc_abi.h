/* proc_abi.h — what the CPU drivers and the monitors agree on about processes:
 * how a new domain's arguments and environment are handed over, how its end
 * is reported, and the signal numbers the kernel itself raises (the POSIX
 * values, so that newlib's <signal.h> agrees). */
#ifndef PROC_ABI_H
#define PROC_ABI_H

#include <stdint.h>

/* A new domain's argv and environment (SYS_KERNEL_SPAWN): this header, then
 * argc + envc NUL-terminated strings back to back, bytes in all. main gets
 * argc, argv and envp; both arrays end with a NULL pointer. */
struct spawn_blob {
    uint16_t argc, envc;
    uint32_t bytes; /* of strings after the header */
    char strings[];
};

#define SPAWN_ARGS_MAX  32   /* argv entries, argv[0] included */
#define SPAWN_ENV_MAX   32   /* environment entries */
#define SPAWN_BLOB_MAX  4096 /* header and strings */
#define SPAWN_STACK_MAX 8192 /* what the strings and pointers may take of the stack */

/* Why a domain ended, the same on every architecture: each arch's trap code
 * maps its exception numbers to these. */
enum death_cause {
    DEATH_EXIT = 0,    /* it called SYS_EXIT */
    DEATH_KILLED,      /* SYS_KERNEL_KILL: a signal from outside */
    DEATH_PAGE_FAULT,  /* an address with no mapping, or one it may not use */
    DEATH_PROTECTION,  /* a protection or access fault that is not a page fault */
    DEATH_ILLEGAL,     /* an illegal or privileged instruction */
    DEATH_ARITHMETIC,  /* divide error, overflow, floating-point exception */
    DEATH_MISALIGNED,  /* a misaligned access or jump */
    DEATH_BREAKPOINT,  /* a breakpoint or debug trap */
    DEATH_BAD_PC,      /* its instruction pointer left user space */
    DEATH_OTHER_FAULT, /* any other exception */
    DEATH__COUNT
};

/* A short lower-case description ("page fault"); never NULL, "unknown cause"
 * past the last. In lib/err. */
const char *death_cause_str(unsigned cause);

/* How a domain ended (SYS_KERNEL_REAP): signal is 0 for an exit with status, or
 * the signal that ended it (a fault, or SYS_KERNEL_KILL). addr is where a page
 * fault's access went (CR2, stval), the faulting pc for any other fault, and 0
 * for an exit or a kill. */
struct death_record {
    uint32_t domain;
    int32_t status;
    uint32_t signal;
    uint32_t cause; /* enum death_cause */
    uint64_t addr;
};

/* The notification bit a monitor receives when domains of its core ended. */
#define NOTIFY_DOMAIN_DIED (1ull << 63)
#define NOTIFY_REVOKE      (1ull << 62) /* a revoke waits for exported frames to come back */
#define NOTIFY_NAP         (1ull << 61) /* a monitor's own alarm: time to retry what waits */
/* A server's monitor holds a client's channel it could not hand over while
 * the server was busy: the server takes it with NS_PENDING (the skeleton
 * does, lib/server). */
#define NOTIFY_CHANNEL_WAITING (1ull << 60)

enum {
    SIG_ILL = 4,
    SIG_FPE = 8,
    SIG_KILL = 9,
    SIG_BUS = 7,
    SIG_SEGV = 11,
    SIG_TERM = 15,
    SIG_INT = 2,
};

#endif
