/* syscall_nums.h — system call numbers, shared by the CPU drivers and the user
 * runtime. Every call returns an err_t and one 64-bit value. */
#ifndef SYSCALL_NUMS_H
#define SYSCALL_NUMS_H

enum syscall_num {
    SYS_PRINT = 1,              /* (const char *buf, size_t len): write to the console */
    SYS_YIELD = 2,              /* (): let other domains on this core run */
    SYS_EXIT = 3,               /* (int status): end this domain */
    SYS_CORE_ID = 4,            /* () -> this core's number */
    SYS_CORE_COUNT = 5,         /* () -> number of cores online */
    SYS_SLEEP = 6,              /* (uint64_t ns): block for at least ns */
    SYS_MONITOR_UP = 7,         /* (): the monitor says it is ready; monitors only */
    SYS_CAP_IDENTIFY = 8,       /* (capaddr_t, struct cap_info *) */
    SYS_CAP_COPY = 9,           /* (capaddr_t from, capaddr_t to, rights mask) */
    SYS_CAP_DELETE = 10,        /* (capaddr_t) */
    SYS_CAP_REVOKE = 11,        /* (capaddr_t): delete every capability derived from it */
    SYS_CAP_RETYPE = 12,        /* (ram, to, type, bytes, want phys): carve from RAM */
    SYS_FRAME_MAP = 13,         /* (capaddr_t frame, uvaddr, offset, bytes, writable) */
    SYS_KERNEL_MINT = 14,       /* (capaddr_t kernel, capaddr_t to, type, phys, bytes) */
    SYS_KERNEL_START_CORE = 15, /* (capaddr_t kernel, core) */
    SYS_KERNEL_WAKE = 16,       /* (capaddr_t kernel, core): IPI that wakes its waiters */
    SYS_WAIT = 17,              /* (uint64_t ns): block until woken or ns pass */
    SYS_CMDLINE = 18,           /* (char *buf, size_t cap) -> length: the kernel command line */
    /* Local message passing (lmp_abi.h); the message is in the IPC buffer. */
    SYS_EP_MINT = 19,         /* (badge, capaddr_t to): an endpoint to oneself */
    SYS_LMP_SEND = 20,        /* (capaddr_t ep, capaddr_t give, flags) */
    SYS_LMP_RECV = 21,        /* (capaddr_t take, badge filter, flags) -> LMP_GOT_CAP */
    SYS_LMP_CALL = 22,        /* (capaddr_t ep, capaddr_t give, capaddr_t take) */
    SYS_LMP_REPLY = 23,       /* (capaddr_t give): to the caller last received */
    SYS_LMP_REPLY_RECV = 24,  /* (capaddr_t give, capaddr_t take, badge filter, flags) */
    SYS_LMP_NOTIFY = 25,      /* (capaddr_t ep, uint64_t bits): never blocks */
    SYS_NOW = 26,             /* () -> nanoseconds since boot (this core's clock) */
    SYS_CHAN_WAKE = 27,       /* (capaddr_t frame): wake the core a channel frame names */
    SYS_KERNEL_SPAWN = 28,    /* (kernel, module, len, struct spawn_blob *, blob bytes) -> id */
    SYS_KERNEL_DEVICE = 29,   /* (capaddr_t kernel, index, char *name, size_t cap) -> phys */
    SYS_KERNEL_REAP = 30,     /* (capaddr_t kernel, struct death_record *, max) -> count */
    SYS_KERNEL_KILL = 31,     /* (capaddr_t kernel, domain, signal) */
    SYS_KERNEL_POWEROFF = 32, /* (capaddr_t kernel, status): boot core only */
    SYS_KERNEL_ARCHIVE = 33,  /* (capaddr_t kernel, capaddr_t to) -> bytes: the boot archive */
    SYS_KERNEL_CONSOLE = 34,  /* (capaddr_t kernel, struct console_device *): the UART */
    SYS_IO_IN = 35,           /* (capaddr_t ioport, port, width 1/2/4) -> value */
    SYS_IO_OUT = 36,          /* (capaddr_t ioport, port, width 1/2/4, value) */
    SYS_IRQ_BIND = 37,        /* (capaddr_t irq, capaddr_t ep, bits): interrupts notify ep */
    SYS_IRQ_ACK = 38,         /* (capaddr_t irq): handled; the line may interrupt again */
    SYS_KLOG_BIND = 39,       /* (capaddr_t klog, capaddr_t ep, bits): take the console over */
    SYS_KLOG_READ = 40,       /* (capaddr_t klog, char *buf, size_t cap) -> bytes */
    SYS_KERNEL_HELD = 41,     /* (capaddr_t kernel, phys, bytes) -> 1 if another domain here
                               * holds a capability to that memory, else 0 */
    SYS_KERNEL_IRQ = 42,      /* (capaddr_t kernel, enum kernel_irq_op, line, core) */
    SYS_CSPACE_ADD = 43,      /* (capaddr_t cnode, index): the CNode becomes root entry index */
    SYS_KERNEL_EXPORT = 44,   /* (capaddr_t kernel, capaddr_t frame): other cores hold it too */
    SYS_KERNEL_REVOKING = 45, /* (capaddr_t kernel, from) -> next exported slot a revoke waits on */
    SYS_FRAME_COPY = 46,    /* (capaddr_t frame, offset, buf, bytes, to_frame): the kernel copies */
    SYS_KERNEL_BUS = 47,    /* (capaddr_t kernel, index, struct bus_region *) */
    SYS_DEVFRAME_PART = 48, /* (capaddr_t devframe, capaddr_t to, offset, bytes) */
    SYS_ALARM = 49,         /* (uint64_t at_ns, bits): notify oneself with bits once SYS_NOW
                             * reaches at_ns; replaces the last alarm; at_ns 0 cancels */
    SYS_CAP_RESTRICT = 50,  /* (capaddr_t, rights): keep only these rights of it, in place */
    SYS_KERNEL_FAULT_TARGET = 51, /* (capaddr_t kernel, domain): CAP_DEBUG may write its image */
    SYS_DEBUG_WRITE = 52, /* (capaddr_t debug, domain, va, buf, bytes): into a target's image */
    SYS__COUNT
};

/* What a monitor asks of its CPU driver for an interrupt line. */
enum kernel_irq_op {
    KERNEL_IRQ_ROUTE = 1, /* boot core only: line's interrupts go to core */
    KERNEL_IRQ_UNROUTE,   /* boot core only: they go nowhere */
    KERNEL_IRQ_FORGET,    /* the line is no longer routed here: end what is left of it */
};

#define SYS_PRINT_MAX 4096 /* longest buffer one SYS_PRINT accepts */

#endif
