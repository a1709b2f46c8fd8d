/* proctable.c — the process table, searched linearly (every lookup is a
 * message anyway). It grows into a frame twice its size when full (lib/table):
 * entries move then, so no pointer to one is kept across a proc_alloc. */
#include "pm.h"

#include <string.h>
#include <table.h>

static struct table proc_table = {.elem = sizeof(struct proc)};
#define procs    ((struct proc *)proc_table.items)
#define PROC_MAX proc_table.cap
static int32_t next_pid = PID_INIT; /* init's entry is the first */

struct proc *proc_alloc(void)
{
    unsigned free = 0;
    while (free < PROC_MAX && procs[free].pid != 0)
        free++;
    if (free == PROC_MAX && table_fit(&proc_table, free + 1) != OK)
        return NULL; /* PM is out of memory: the spawn gets EAGAIN */
    for (unsigned i = free; i < PROC_MAX; i++) {
        if (procs[i].pid == 0) {
            memset(&procs[i], 0, sizeof procs[i]);
            /* Skip pids still in use after a wrap. */
            do {
                procs[i].pid = next_pid++;
                if (next_pid > 999999)
                    next_pid = 2;
            } while (proc_by_pid(procs[i].pid) != &procs[i]);
            return &procs[i];
        }
    }
    return NULL;
}

struct proc *proc_by_pid(int32_t pid)
{
    for (unsigned i = 0; i < PROC_MAX && pid > 0; i++) {
        if (procs[i].pid == pid)
            return &procs[i];
    }
    return NULL;
}

struct proc *proc_by_domain(unsigned core, uint32_t domain)
{
    for (unsigned i = 0; i < PROC_MAX; i++) {
        if (procs[i].pid != 0 && procs[i].core == core && procs[i].domain == domain)
            return &procs[i];
    }
    return NULL;
}

struct proc *proc_nth(unsigned n)
{
    for (unsigned i = 0; i < PROC_MAX; i++) {
        if (procs[i].pid != 0 && n-- == 0)
            return &procs[i];
    }
    return NULL;
}

void proc_free(struct proc *p) { memset(p, 0, sizeof *p); }

struct proc *proc_zombie_child(int32_t parent, int32_t pid, bool *has_child)
{
    *has_child = false;
    for (unsigned i = 0; i < PROC_MAX; i++) {
        struct proc *p = &procs[i];
        if (p->pid == 0 || p->ppid != parent || (pid != -1 && p->pid != pid))
            continue;
        *has_child = true;
        if (p->state == PM_ZOMBIE)
            return p;
    }
    return NULL;
}

void proc_orphan_children(int32_t parent)
{
    const struct proc *dead = proc_by_pid(parent);
    for (unsigned i = 0; i < PROC_MAX; i++) {
        struct proc *p = &procs[i];
        if (p->pid == 0 || p->ppid != parent)
            continue;
        if (p->state == PM_ZOMBIE) {
            proc_free(p); /* init would only reap it */
            continue;
        }
        p->ppid = PID_INIT;
        if (dead != NULL)
            memcpy(p->orphan_of, dead->name, sizeof p->orphan_of);
    }
}

unsigned proc_adopt(const struct proc *adopter)
{
    unsigned n = 0;
    for (unsigned i = 0; i < PROC_MAX; i++) {
        struct proc *p = &procs[i];
        if (p->pid == 0 || p->ppid != PID_INIT || p->state != PM_RUNNING ||
            strncmp(p->orphan_of, adopter->name, sizeof p->orphan_of) != 0)
            continue;
        p->ppid = adopter->pid;
        p->orphan_of[0] = '\0';
        n++;
    }
    return n;
}
