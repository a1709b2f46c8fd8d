/* proto/pm.h — the process manager's protocol. Every process talks to PM over
 * a UMP channel of its own (chan_connect), so PM knows who asks by the channel:
 * requests carry no identities and no pointers. A reply's type is 0 or an
 * errno value (the PM_E* below, which are newlib's numbers), MINIX style. */
#ifndef PROTO_PM_H
#define PROTO_PM_H

#include <msg.h>
#include <proto/ns.h>
#include <stdint.h>

#define PM_NAME "pm"

enum pm_msg_type {
    PM_GETPID = 0x200, /* -> struct pm_ids */
    PM_ARGS,           /* struct pm_args: a piece of the next spawn's struct spawn_blob */
    PM_SPAWN,          /* struct pm_spawn -> struct pm_ids (the child's pid) */
    PM_WAIT,           /* struct pm_wait -> struct pm_waited; answered when a child ends */
    PM_KILL,           /* struct pm_kill */
    PM_PS,             /* struct pm_ps -> struct pm_proc; PM_ESRCH past the last */
    PM_WHO,            /* struct pm_who -> struct pm_proc; PM_ESRCH if no process is it */
};

enum pm_errno {
    PM_EPERM = 1,
    PM_ENOENT = 2,
    PM_ESRCH = 3,
    PM_E2BIG = 7,
    PM_ECHILD = 10,
    PM_EAGAIN = 11,
    PM_ENOMEM = 12,
    PM_EFAULT = 14,
    PM_EINVAL = 22,
    PM_ENOSYS = 88,
};

#define PM_CORE_ANY  (-1)
#define PM_BLOB_MAX  2048 /* the staged struct spawn_blob, header included */
#define PM_ARGS_DATA 48
#define PM_WNOHANG   1

struct pm_ids {
    int32_t pid, ppid;
};
MSG_PAYLOAD_FITS(struct pm_ids);

struct pm_args {
    uint32_t offset, len; /* where in the staged blob; offset 0 starts a new one */
    uint8_t data[PM_ARGS_DATA];
};
MSG_PAYLOAD_FITS(struct pm_args);

struct pm_spawn {
    int32_t core;   /* or PM_CORE_ANY: PM chooses */
    uint32_t bytes; /* of the staged blob; 0: argv is just the module's name */
    char module[NS_MODULE_MAX];
};
MSG_PAYLOAD_FITS(struct pm_spawn);

struct pm_wait {
    int32_t pid; /* a child, or -1 for any */
    uint32_t flags;
};
MSG_PAYLOAD_FITS(struct pm_wait);

struct pm_waited {
    int32_t pid;
    int32_t status;  /* the exit status, if signal is 0 */
    uint32_t signal; /* the signal that ended it */
};
MSG_PAYLOAD_FITS(struct pm_waited);

struct pm_kill {
    int32_t pid;
    uint32_t signal;
};
MSG_PAYLOAD_FITS(struct pm_kill);

struct pm_ps {
    uint32_t index; /* the n-th process of the table */
};
MSG_PAYLOAD_FITS(struct pm_ps);

/* Which process a domain is (a server asks about a client of its channel). */
struct pm_who {
    uint32_t core, domain;
};
MSG_PAYLOAD_FITS(struct pm_who);

enum pm_state { PM_RUNNING = 1, PM_ZOMBIE = 2 };

struct pm_proc {
    int32_t pid, ppid;
    uint32_t core, domain;
    uint32_t state;
    char name[NS_MODULE_MAX];
};
MSG_PAYLOAD_FITS(struct pm_proc);

#endif
