/* proto/rs.h — the reincarnation server's protocol, for the `service`
 * utility: the table of services RS keeps alive (their state and how each
 * last died), and the orders to restart, stop, start, crash or add one. A
 * service is named by its module; a reply's type is OK or an err_t. */
#ifndef PROTO_RS_H
#define PROTO_RS_H

#include <msg.h>
#include <proto.h>
#include <proto/ns.h>
#include <stddef.h>
#include <stdint.h>

#define RS_NAME "rs"

enum rs_state {
    RS_RUNNING = 1,
    RS_WAITING = 2, /* dead; to be started again after its backoff */
    RS_STOPPED = 3, /* `service stop`, or restart=never and it ended */
    RS_GAVE_UP = 4, /* it died limit times in a row */
};

struct rs_index {
    uint32_t index; /* the n-th service of the table */
};

struct rs_status {
    char name[NS_MODULE_MAX];
    int32_t pid;       /* 0 while it is not running */
    uint32_t restarts; /* since boot */
    uint32_t up_ms;    /* since it was last started (saturates) */
    uint16_t core;
    uint8_t state; /* enum rs_state */
    uint8_t heartbeat;
};

/* How a service last died (ERR_NOENT: it never has). */
struct rs_death {
    uint32_t cause;  /* enum death_cause (proc_abi.h) */
    uint32_t signal; /* the signal that ended it, or 0 */
    int32_t status;  /* its exit status, if it exited */
    uint32_t ago_ms; /* how long ago (saturates) */
    uint64_t addr;   /* the faulting address, for a fault */
    uint32_t missed; /* 1: RS ended it for missed heartbeats */
};

struct rs_name {
    char name[NS_MODULE_MAX];
};

/* A service added while the system runs (MINIX's `service up`): the settings
 * of a service line of boot.conf (bootconf.h). */
struct rs_up {
    char name[NS_MODULE_MAX]; /* its module */
    int32_t core;             /* or -1: RS's placement */
    uint32_t heartbeat_ms;
    uint16_t limit;
    uint16_t restart; /* 1: always, 0: never */
    uint32_t backoff_ms;
};

/* d in words ("page fault at 0x4012a8"), into buf (lib/posix). */
void rs_death_describe(const struct rs_death *d, char *buf, size_t cap);

static inline bool rs_name_ok(const void *p)
{
    return proto_str_ok(((const struct rs_name *)p)->name, NS_MODULE_MAX);
}
static inline bool rs_up_ok(const void *p)
{
    const struct rs_up *u = p;
    return proto_str_ok(u->name, NS_MODULE_MAX) && u->core >= -1 && u->restart <= 1 &&
           u->backoff_ms > 0;
}

#define RS_MESSAGES(X)                                                                             \
    /* the n-th service; ERR_NOENT past the last */                                                \
    X(RS_STATUS, 0x400, rs_status, struct rs_index, struct rs_status, PROTO_IDEMPOTENT, NULL)      \
    /* how the n-th service last died */                                                           \
    X(RS_DEATH, 0x401, rs_death, struct rs_index, struct rs_death, PROTO_IDEMPOTENT, NULL)         \
    /* end the service and start it again */                                                       \
    X(RS_RESTART, 0x402, rs_restart, struct rs_name, struct proto_none, 0, rs_name_ok)             \
    /* end the service and leave it ended */                                                       \
    X(RS_STOP, 0x403, rs_stop, struct rs_name, struct proto_none, 0, rs_name_ok)                   \
    /* start a stopped (or given up) service again */                                              \
    X(RS_START, 0x404, rs_start, struct rs_name, struct proto_none, 0, rs_name_ok)                 \
    /* make the service crash in its own code (SRV_FAULT), for tests */                            \
    X(RS_FAULT, 0x405, rs_fault, struct rs_name, struct proto_none, 0, rs_name_ok)                 \
    /* add a service and start it */                                                               \
    X(RS_UP, 0x406, rs_up, struct rs_up, struct proto_none, 0, rs_up_ok)

PROTO_TYPES(rs_msg_type, RS_MESSAGES)

#endif
