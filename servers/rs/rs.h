/* rs.h — the reincarnation server's state, shared by its files. RS keeps one
 * entry per service of the table (boot.conf's service lines, and those
 * `service up` adds): the process running it, how it last died, and the
 * channel RS pings it over. Services are RS's children, so PM tells RS how
 * each one ended, and RS alone (and init) may end them. */
#ifndef RS_H
#define RS_H

#include <bootconf.h>
#include <proc_abi.h>
#include <proto/rs.h>
#include <server.h>
#include <stdbool.h>
#include <stdint.h>

#define MS      1000000ull  /* nanoseconds */
#define RS_TICK (1ull << 0) /* the alarm's notification bit */

/* Why RS itself ended a service, if it did. */
enum ending { END_NONE, END_HEARTBEAT, END_RESTART, END_STOP };

struct service {
    struct bootconf_service conf;
    int core; /* its place line's core, or BOOTCONF_CORE_ANY */
    enum rs_state state;
    int32_t pid;
    unsigned running_on;
    uint64_t started_ns;
    uint32_t restarts;
    uint32_t in_a_row; /* deaths in a row before it was ready */
    bool ready;        /* it answered a ping, or lived RS_READY_NS */
    bool served;       /* it answered a ping: an exit from now on is no end of work */
    uint64_t due_ns;   /* RS_WAITING: when it starts again */

    bool has_died;
    struct rs_death last;
    uint64_t died_ns;
    enum ending ending;

    /* The channel to the name it serves (conf.registers): pings, SRV_FAULT. */
    struct srv_upstream up;
    bool connected;
    uint64_t connected_ns;
    bool ping_out;
    uint64_t next_ping_ns;
    unsigned missed;
    uint64_t silent_since_ns; /* when the ping it has not answered went out */
    /* A restart is timed from the death (or the fault RS ordered) to the
     * first answer of the new instance; 0 when nothing is being timed. */
    uint64_t timed_from_ns;
    bool fault_ordered;
    /* The client whose `service fault` is answered once the new instance
     * answers (an index into the server's clients, and that entry's gen). */
    bool fault_waiter;
    unsigned fault_client;
    uint32_t fault_gen;
};

/* A service that lived this long was ready, even if it serves no name. */
#define RS_READY_NS (1000 * MS)
/* How often RS tries to reach a name a started service has not registered yet. */
#define RS_CONNECT_RETRY_NS (10 * MS)
/* Heartbeats missed in a row before the service is ended and restarted. */
#define RS_MISSED_MAX 2

extern struct srv rs;

/* table.c: the services, in the order of the table. */
unsigned services_count(void);
struct service *service_at(unsigned i);
struct service *service_named(const char *name);
struct service *service_of_pid(int32_t pid);
/* Adds a service (from boot.conf, or `service up`); NULL if out of memory. */
struct service *service_add(const struct bootconf_service *conf, int core);

/* life.c: starting, ending and restarting. */
void life_start(struct service *s);
/* Ends s (SIGKILL through PM) for why; its death then comes as any other. */
err_t life_end(struct service *s, enum ending why);
/* PM says the child pid ended. */
void life_died(int32_t pid, int32_t status, uint32_t signal, uint32_t cause, uint64_t addr);
/* Takes back the services a dead RS left running (PM_ADOPT). */
void life_adopt(void);
/* The PM channel RS waits for its children's ends on. */
err_t life_watch(void);
/* Whether the caller of c may order RS about (not one of its services). */
bool life_may_order(struct srv_client *c);

/* beat.c: connecting to services, heartbeats, timers. */
/* Runs what is due (starts after a backoff, pings, connects) and sets the
 * next alarm. */
void beat_tick(void);
/* s stopped running: its channel goes. */
void beat_forget(struct service *s);
/* Sends SRV_FAULT to s for client c, who hears back once the restarted
 * service answers (SRV_LATER), or at once with an error: ERR_NOENT if RS has
 * no channel to it (yet). */
int beat_fault(struct service *s, struct srv_client *c);
/* The `service fault` waiting on s hears err (s will not come back). */
void beat_fault_done(struct service *s, err_t err);

#endif
