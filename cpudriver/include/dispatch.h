/* dispatch.h — the domains (dispatchers) of this core and its run queue. Each
 * core schedules only its own dispatchers, round-robin, preempted by its timer. */
#ifndef DISPATCH_H
#define DISPATCH_H

#include "cap.h"
#include "console.h"
#include "kernel.h"
#include <arch/regs.h>
#include <proc_abi.h>
#include <proto/ns.h>

#define DISPATCHER_NAME_MAX NS_MODULE_MAX /* a domain is named for its module */
#define TIMESLICE_HZ        100

enum dispatcher_state {
    D_FREE = 0,
    D_RUNNABLE,
    D_SLEEPING,  /* SYS_SLEEP */
    D_WAITING,   /* SYS_WAIT: until a wake-up or its time */
    D_SENDING,   /* queued on waiting_on, to send (or call) */
    D_RECEIVING, /* in a receive */
    D_CALLING,   /* sent a call to waiting_on, waits for the reply */
};

struct dispatcher {
    struct regs regs; /* saved user registers */
    struct arch_dispatcher arch;
    enum dispatcher_state state;
    struct dispatcher *next_slot; /* the next entry of this core's table, free or not */
    uint32_t id;
    bool is_monitor;
    bool fault_target; /* its monitor let a CAP_DEBUG holder write its image (debug.c) */
    bool boot_domain;  /* started from the command line; boot waits for it */
    uint64_t wake_ns;
    bool wake_pending;   /* a wake-up came while it was not waiting */
    paddr_t vspace_root; /* the arch's page-table root */
    struct linebuf out;  /* what the domain printed, a line at a time */
    char name[DISPATCHER_NAME_MAX];
    uvaddr_t image_base, image_end; /* its program's segments, for backtraces */
    struct cap *cspace;             /* its root table (cspace.c) */
    paddr_t cspace_phys;            /* which, with its first CNode, is kernel memory */
    paddr_t ram_base;               /* the RAM it started with (CAP_SLOT_RAM) */
    uint64_t ram_size;

    /* Local message passing (lmp.c). */
    paddr_t ipc_phys;              /* its IPC buffer */
    struct dispatcher *sendq_head; /* senders waiting for it to receive */
    struct dispatcher *sendq_tail;
    struct dispatcher *sendq_next; /* its link in a receiver's queue */
    struct dispatcher *waiting_on; /* D_SENDING: the receiver; D_CALLING: the callee */
    uint32_t reply_to;             /* the caller it owes a reply, 0 if none */
    uint32_t send_badge;           /* D_SENDING: the badge it sends with */
    bool send_is_call;
    capaddr_t send_give, recv_take; /* capability to pass; slot for one that comes */
    uint32_t recv_filter, recv_flags;
    uint64_t notify_bits; /* notifications not yet received */

    /* SYS_ALARM (alarm.c): notify_bits gain alarm_bits at alarm_ns; 0: none. */
    uint64_t alarm_ns, alarm_bits;
};

/* Whether a capability of a live domain of this core other than except still
 * points into [base, base + size): memory passed on must outlive the domain it
 * came from, and a channel frame is reused only once no one holds it. */
bool dispatch_memory_held(const struct dispatcher *except, paddr_t base, uint64_t size);
/* The live dispatcher with this id on this core, or NULL. */
struct dispatcher *dispatch_find(uint32_t id);
/* Runs d next, straight away (the message-passing fast path). */
NORETURN void dispatch_switch_to(struct dispatcher *d);
/* The id of this core's monitor, 0 if it has none yet. */
uint32_t dispatch_monitor_id(void);

/* Iterates over this core's live dispatchers. */
struct dispatcher *dispatch_first(void);
struct dispatcher *dispatch_next(struct dispatcher *d);

/* A wake-up arrived (IPI): every waiting dispatcher runs again. */
void dispatch_wake_all(void);

/* The dispatcher running now, or NULL in the idle loop. */
struct dispatcher *dispatch_current(void);
struct dispatcher *dispatcher_alloc(const char *name);
/* Puts a fully set-up dispatcher on the run queue. */
void dispatch_start(struct dispatcher *d, bool is_monitor, bool boot_domain);

/* Picks the next runnable dispatcher and resumes it; idles if none. */
NORETURN void schedule(void);

/* How a domain ended, as its death record says it (proc_abi.h). */
struct death_how {
    int status;      /* an exit's status */
    unsigned signal; /* 0 for an exit */
    enum death_cause cause;
    uint64_t addr; /* a page fault's address, another fault's pc, else 0 */
};

/* Ends d by signal, for cause: frees its memory and says why on the console
 * (unless why is NULL). addr as in struct death_how. */
void dispatcher_kill(struct dispatcher *d, unsigned signal, enum death_cause cause, uint64_t addr,
                     const char *why);
void dispatcher_exit(struct dispatcher *d, int status);
struct sysret_value deaths_sys_reap(struct dispatcher *d, const uint64_t a[6]);
/* deaths.c: d ended; its monitor is notified (NOTIFY_DOMAIN_DIED). */
void deaths_record(const struct dispatcher *d, const struct death_how *how);

/* alarm.c: SYS_ALARM, and d's alarm fires if it is due by now. */
struct sysret_value alarm_sys_set(struct dispatcher *d, const uint64_t a[6]);
/* Fault injection (debug.c): SYS_KERNEL_FAULT_TARGET, SYS_DEBUG_WRITE. */
struct sysret_value debug_sys_kernel_target(struct dispatcher *d, const uint64_t a[6]);
struct sysret_value debug_sys_write(struct dispatcher *d, const uint64_t a[6]);
void alarm_due(struct dispatcher *d, uint64_t now);

/* The timer fired: time moves on, sleepers wake, the current one is preempted. */
void dispatch_tick(void);

/* A program's arguments and environment; argv[0] is its name. */
struct spawn_args {
    unsigned argc, envc;
    const char *argv[SPAWN_ARGS_MAX];
    const char *envp[SPAWN_ENV_MAX];
};

/* Reads a struct spawn_blob (proc_abi.h) of len bytes into args, which points
 * into it: every count and string is checked; ERR_RANGE for too many, ERR_INVAL
 * for a malformed one. */
MUST_CHECK err_t spawn_args_parse(const void *blob, uint64_t len, struct spawn_args *args);
/* Copies args to the top of d's stack and points its first registers at them. */
MUST_CHECK err_t spawn_args_put(struct dispatcher *d, uvaddr_t entry,
                                const struct spawn_args *args);

/* Starts module name; main gets args (NULL: just its name as argv[0]). */
MUST_CHECK err_t spawn_module(const char *name, bool is_monitor, bool boot_domain, uint32_t *id,
                              const struct spawn_args *args);

/* Starts the ELF image of bytes bytes (kernel memory) as name; the same. */
MUST_CHECK err_t spawn_image(const char *name, const uint8_t *image, size_t bytes, bool is_monitor,
                             bool boot_domain, uint32_t *id, const struct spawn_args *args);

/* Whether this core's boot domains are all gone and its monitor is up. */
void dispatch_check_ready(void);
void dispatch_monitor_up(void);

#endif
