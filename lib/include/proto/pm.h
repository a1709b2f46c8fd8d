/* proto/pm.h — the process manager's protocol. Every process talks to PM over
 * a UMP channel of its own (chan_connect), so PM knows who asks by the channel:
 * requests carry no identities and no pointers. A spawn's arguments and
 * environment (a struct spawn_blob, proc_abi.h) travel in a frame the client
 * granted PM (grant.h). A reply's type is OK or an err_t; the POSIX calls
 * turn it into errno (errmap.h). */
#ifndef PROTO_PM_H
#define PROTO_PM_H

#include <msg.h>
#include <proc_abi.h>
#include <proto.h>
#include <proto/ns.h>
#include <stdint.h>

#define PM_NAME "pm"

#define PM_CORE_ANY (-1)
#define PM_BLOB_MAX SPAWN_BLOB_MAX /* the struct spawn_blob, header included */
#define PM_WNOHANG  1

struct pm_ids {
    int32_t pid, ppid;
};

/* A program from a file comes as its ELF image in the grant, at PM_BLOB_MAX. */
#define PM_IMAGE_MAX (256u << 20)
#define PM_GRANT_MAX (PM_BLOB_MAX + PM_IMAGE_MAX)

struct pm_spawn {
    int32_t core;   /* or PM_CORE_ANY: PM chooses */
    uint32_t bytes; /* of the blob at the start of the grant; 0: argv is the module's name */
    uint32_t image; /* 0: the boot archive's module; else the image's bytes in the grant */
    char module[NS_MODULE_MAX];
};

struct pm_wait {
    int32_t pid; /* a child, or -1 for any */
    uint32_t flags;
};

struct pm_waited {
    int32_t pid;
    int32_t status;  /* the exit status, if signal is 0 */
    uint32_t signal; /* the signal that ended it */
    uint32_t cause;  /* enum death_cause (proc_abi.h): DEATH_EXIT, DEATH_KILLED, a fault */
    uint64_t addr;   /* a page fault's address, another fault's pc, else 0 */
};

struct pm_kill {
    int32_t pid;
    uint32_t signal;
};

struct pm_ps {
    uint32_t index; /* the n-th process of the table */
};

/* Which process a domain is (a server asks about a client of its channel). */
struct pm_who {
    uint32_t core, domain;
};

enum pm_state { PM_RUNNING = 1, PM_ZOMBIE = 2 };

struct pm_proc {
    int32_t pid, ppid;
    uint32_t core, domain;
    uint32_t state;
    char name[NS_MODULE_MAX];
};

/* The process Ctrl-C on the console interrupts: set by an ancestor of it
 * (the shell), 0 for none. */
struct pm_foreground {
    int32_t pid;
};

/* How many orphans PM_ADOPT gave the caller. */
struct pm_adopted {
    uint32_t count;
};

static inline bool pm_foreground_ok(const void *p)
{
    return ((const struct pm_foreground *)p)->pid >= 0;
}
static inline bool pm_spawn_ok(const void *p)
{
    const struct pm_spawn *s = p;
    return proto_str_ok(s->module, NS_MODULE_MAX) && s->core >= PM_CORE_ANY &&
           s->bytes <= PM_BLOB_MAX && s->image <= PM_IMAGE_MAX;
}
static inline bool pm_wait_ok(const void *p)
{
    const struct pm_wait *w = p;
    return w->pid >= -1 && w->pid != 0 && (w->flags & ~(uint32_t)PM_WNOHANG) == 0;
}
static inline bool pm_kill_ok(const void *p)
{
    const struct pm_kill *k = p;
    return k->pid > 0 && k->signal < 64;
}

#define PM_MESSAGES(X)                                                                             \
    /* the caller's pid and its parent's */                                                        \
    X(PM_GETPID, 0x200, pm_getpid, struct proto_none, struct pm_ids, PROTO_IDEMPOTENT, NULL)       \
    /* start a module; its argv and environment in the grant: the child's pid */                   \
    X(PM_SPAWN, 0x202, pm_spawn, struct pm_spawn, struct pm_ids, 0, pm_spawn_ok)                   \
    /* answered when a child ends (at once with PM_WNOHANG) */                                     \
    X(PM_WAIT, 0x203, pm_wait, struct pm_wait, struct pm_waited, 0, pm_wait_ok)                    \
    /* a signal to a process; signal 0 only asks whether it exists */                              \
    X(PM_KILL, 0x204, pm_kill, struct pm_kill, struct proto_none, 0, pm_kill_ok)                   \
    /* the n-th entry of the process table; ERR_NOPROC past the last */                            \
    X(PM_PS, 0x205, pm_ps, struct pm_ps, struct pm_proc, PROTO_IDEMPOTENT, NULL)                   \
    /* the process a domain is; ERR_NOPROC if none */                                              \
    X(PM_WHO, 0x206, pm_who, struct pm_who, struct pm_proc, PROTO_IDEMPOTENT, NULL)                \
    /* a descendant of the caller becomes the console's foreground; 0: none */                     \
    X(PM_FOREGROUND, 0x207, pm_foreground, struct pm_foreground, struct proto_none,                \
      PROTO_IDEMPOTENT, pm_foreground_ok)                                                          \
    /* Ctrl-C: SIGINT to the foreground, for the ancestor that named it; ERR_NOPROC if none */     \
    X(PM_INTERRUPT, 0x208, pm_interrupt, struct proto_none, struct proto_none, 0, NULL)            \
    /* a child of init takes back the running children a dead process of its name left */          \
    X(PM_ADOPT, 0x209, pm_adopt, struct proto_none, struct pm_adopted, PROTO_IDEMPOTENT, NULL)

PROTO_TYPES(pm_msg_type, PM_MESSAGES)

#endif
