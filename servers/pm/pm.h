/* pm.h — the process manager's state, shared by its files. A process is a
 * domain PM started (through the monitors) and knows as (core, domain); its
 * clients are the channels processes opened to PM. */
#ifndef PM_H
#define PM_H

#include <proto/ns.h>
#include <proto/pm.h>
#include <server.h>
#include <stdbool.h>
#include <stdint.h>

#define PID_INIT 1

struct proc {
    int32_t pid; /* 0: a free entry */
    int32_t ppid;
    unsigned core;
    uint32_t domain;
    enum pm_state state;
    int32_t status;  /* a zombie's exit status ... */
    uint32_t signal; /* ... or the signal that ended it */
    uint32_t cause;  /* enum death_cause */
    uint64_t addr;   /* where it faulted */
    char name[NS_MODULE_MAX];
    char orphan_of[NS_MODULE_MAX]; /* the name of the parent it lost ("": none) */
};

/* PM's state for each client (srv_state): which process is at the other end. */
struct client {
    bool known;       /* pid looked up */
    int32_t pid;      /* the process on the other end, or 0 if PM did not start it */
    bool waiting;     /* a PM_WAIT is not answered yet */
    int32_t wait_for; /* ... for this child, or -1 */
};

/* proctable.c */
struct proc *proc_alloc(void);
struct proc *proc_by_pid(int32_t pid);
struct proc *proc_by_domain(unsigned core, uint32_t domain);
/* The n-th live entry (for ps), or NULL. */
struct proc *proc_nth(unsigned n);
void proc_free(struct proc *p);
/* A zombie child of parent that matches pid (-1: any); *has_child says whether
 * parent has such a child at all. */
struct proc *proc_zombie_child(int32_t parent, int32_t pid, bool *has_child);
/* parent is gone: its children go to init, remembering whose they were. */
void proc_orphan_children(int32_t parent);
/* The running orphans of a process named like adopter's name become its
 * children (a restarted RS takes its services back): how many. */
unsigned proc_adopt(const struct proc *adopter);

/* spawn.c */
void spawn_init(void);
/* Starts what req names for parent, with the arguments at the start of c's
 * grant; the child's pid, or an err_t. */
err_t spawn_request(const struct srv_client *c, int32_t parent, const struct pm_spawn *req,
                    int32_t *pid);
/* Asks the monitors to end the domain of p with signal. */
err_t spawn_kill(const struct proc *p, unsigned signal);
/* Cores for PM_CORE_ANY, from the command line (any=2,3). */
void spawn_set_any(const char *list);

extern unsigned pm_ncores;

#endif
