/* deadpeer — a domain waiting on a channel whose peer is killed gets ERR_DEAD,
 * and its later operations fail at once. Each case spawns a fresh peer that
 * serves a name, lets this domain block on it (a send to a full ring, a
 * receive, a call), and then has itself killed through PM, just as anything
 * else would kill it: over UMP with the peer on this core and on another,
 * and over LMP (a call) on this core. In the last cases the roles turn: this
 * domain serves, and waits for a request from a client that is killed.
 *   deadpeer                  runs every case, a line each; exits 0 if all passed
 *   deadpeer peer NAME CASE   the peer of one case */
#include <chan.h>
#include <errno.h>
#include <procs.h>
#include <signal.h>
#include <slot_alloc.h>
#include <stdio.h>
#include <string.h>
#include <sys.h>
#include <sys/wait.h>
#include <unistd.h>

#define CONNECT_NS 10000000000ull
#define GO         0x7001

/* The peer: it dies once its client waits. */

/* Whether the client has filled the ring it sends on: the last slot it may
 * fill before it must wait is published (ump.h: a slot's ctrl byte is the low
 * 8 bits of its sequence number plus one). Read, never taken. */
static bool ring_full(const struct ump_rx *rx)
{
    uint64_t last = rx->published + rx->n - 1;
    const msg_t *slot = &rx->slots[last & (rx->n - 1)];
    return __atomic_load_n(&slot->ctrl, __ATOMIC_ACQUIRE) == (uint8_t)(last + 1);
}

/* Whether the client has set its waiting flag on the ring it receives on. */
static bool client_waits(struct ump_tx *tx)
{
    return __atomic_load_n(ump_tx_wait_word(tx), __ATOMIC_ACQUIRE) != 0;
}

/* Has PM kill this domain. The kill lands a little later (PM answers once it
 * has passed it on), so wait for it rather than end some other way first. */
static int die(void)
{
    if (kill(getpid(), SIGKILL) != 0)
        return 3;
    for (;;)
        sys_sleep_ns(1000000000ull);
}

static int peer(const char *name, const char *kind)
{
    struct chan c;
    if (strcmp(kind, "client") == 0) {
        if (chan_connect(name, &c, CONNECT_NS) != OK)
            return 1;
        while (!client_waits(&c.ump.tx)) /* the server waits for a request */
            sys_yield();
        return die();
    }
    capaddr_t ep, take;
    if (slot_alloc(&ep) != OK || slot_alloc(&take) != OK || chan_register(name, 77, ep) != OK)
        return 1;
    struct chanset set = {0};
    for (;;) {
        msg_t m;
        struct chan *from;
        bool got_cap;
        if (chanset_recv(&set, &m, &from, take, &got_cap) != OK)
            return 1;
        if (from == NULL && m.type == NS_CONNECTED && got_cap) {
            if (chan_accept(&m, &c, take) != OK || chanset_add(&set, &c) != OK)
                return 1;
            if (strcmp(kind, "send") == 0) {
                while (!ring_full(&c.ump.rx))
                    sys_yield();
                break;
            }
        } else if (from == NULL && strcmp(kind, "lmp") == 0) {
            break; /* a call: its caller waits for the answer now */
        } else if (from == &c && m.type == GO) {
            while (!client_waits(&c.ump.tx))
                sys_yield();
            break;
        }
    }
    return die();
}

/* The client: this domain. */

static int failures;

static void report(bool ok, const char *kind, int core, const char *what)
{
    printf("deadpeer: %s, peer on core %d (%s): %s\n", kind, core,
           core == (int)sys_core_id() ? "this core" : "another core", ok ? what : "FAIL");
    failures += !ok;
}

/* Spawns the peer of a case; -1 if it cannot. */
static pid_t spawn_peer(const char *name, const char *kind, int core)
{
    char *args[] = {"deadpeer", "peer", (char *)name, (char *)kind, NULL};
    pid_t pid = spawn_on(core, "deadpeer", args, NULL);
    if (pid < 0) {
        printf("deadpeer: spawn on core %d: %s\n", core, strerror(errno));
        report(false, kind, core, "");
    }
    return pid;
}

static bool killed(pid_t pid)
{
    int status = 0;
    return waitpid(pid, &status, 0) == pid && WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
}

/* The blocking operation of the case: what it returns once the peer is dead. */
static err_t blocked_op(const char *kind, struct chan *c, unsigned *sent)
{
    msg_t go = {.type = GO}, out;
    err_t err;
    if (strcmp(kind, "send") == 0) {
        while ((err = chan_send(c, &go)) == OK)
            ++*sent;
        return err;
    }
    if (strcmp(kind, "recv") == 0) {
        err = chan_send(c, &go);
        return err == OK ? chan_recv(c, &out) : err;
    }
    return chan_call(c, &go, &out);
}

static void run_case(const char *kind, int core)
{
    char name[NS_NAME_MAX];
    snprintf(name, sizeof name, "deadpeer.%s.%d", kind, core);
    pid_t pid = spawn_peer(name, kind, core);
    if (pid < 0)
        return;
    bool lmp = strcmp(kind, "lmp") == 0;
    struct chan c;
    err_t err = lmp ? chan_lookup_wait(name, &c, CONNECT_NS) : chan_connect(name, &c, CONNECT_NS);
    if (err != OK || c.kind != (lmp ? NS_LOCAL : NS_REMOTE)) {
        printf("deadpeer: %s: no channel: %s\n", name, err_str(err));
        report(false, kind, core, "");
        return;
    }
    unsigned sent = 0;
    err_t blocked = blocked_op(kind, &c, &sent);
    msg_t m = {.type = GO}, out;
    err_t send = chan_send(&c, &m), call = chan_call(&c, &m, &out);
    err_t recv = lmp ? ERR_DEAD : chan_recv(&c, &out); /* LMP receives from anyone */
    bool dead = killed(pid);
    if (blocked != ERR_DEAD || send != ERR_DEAD || call != ERR_DEAD || recv != ERR_DEAD || !dead ||
        (strcmp(kind, "send") == 0 && sent < NS_CHAN_SLOTS - 1))
        printf("deadpeer: %s: blocked %s, then send %s, call %s, receive %s; %u sent; %s\n", name,
               err_str(blocked), err_str(send), err_str(call), err_str(recv), sent,
               dead ? "killed" : "not killed");
    report(blocked == ERR_DEAD && send == ERR_DEAD && call == ERR_DEAD && recv == ERR_DEAD && dead,
           kind, core, "ERR_DEAD while waiting, and at once after");
    chan_drop(&c);
}

/* This domain serves; its client connects, then is killed while the server
 * waits for its request. */
static void run_server_case(int core)
{
    const char *kind = "server";
    char name[NS_NAME_MAX];
    snprintf(name, sizeof name, "deadpeer.server.%d", core);
    capaddr_t ep, take;
    if (slot_alloc(&ep) != OK || slot_alloc(&take) != OK || chan_register(name, 78, ep) != OK) {
        report(false, kind, core, "");
        return;
    }
    pid_t pid = spawn_peer(name, "client", core);
    if (pid < 0)
        return;
    struct chanset set = {0};
    msg_t m, out;
    struct chan *from, c;
    bool got_cap;
    err_t err;
    while ((err = chanset_recv(&set, &m, &from, take, &got_cap)) == OK &&
           !(from == NULL && m.type == NS_CONNECTED && got_cap))
        ;
    if (err != OK || (err = chan_accept(&m, &c, take)) != OK) {
        printf("deadpeer: %s: no client: %s\n", name, err_str(err));
        report(false, kind, core, "");
        return;
    }
    err_t blocked = chan_recv(&c, &out);
    m = (msg_t){.type = GO};
    err_t send = chan_send(&c, &m), call = chan_call(&c, &m, &out);
    bool dead = killed(pid);
    if (blocked != ERR_DEAD || send != ERR_DEAD || call != ERR_DEAD || !dead)
        printf("deadpeer: %s: blocked %s, then send %s, call %s; %s\n", name, err_str(blocked),
               err_str(send), err_str(call), dead ? "killed" : "not killed");
    report(blocked == ERR_DEAD && send == ERR_DEAD && call == ERR_DEAD && dead, kind, core,
           "ERR_DEAD while waiting, and at once after");
    chan_drop(&c);
}

int main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "peer") == 0)
        return peer(argv[2], argv[3]);
    int here = (int)sys_core_id(), there = (here + 1) % (int)sys_core_count();
    static const char *const kinds[] = {"send", "recv", "call"};
    for (unsigned k = 0; k < sizeof kinds / sizeof *kinds; k++) {
        run_case(kinds[k], here);
        if (there != here)
            run_case(kinds[k], there);
    }
    run_case("lmp", here);
    run_server_case(here);
    if (there != here)
        run_server_case(there);
    printf("deadpeer: %d failed\n", failures);
    return failures == 0 ? 0 : 1;
}
