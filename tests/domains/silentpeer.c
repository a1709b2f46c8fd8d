/* silentpeer — a client waiting with a deadline on a server that lives but
 * never answers gets ERR_TIMEDOUT at the deadline, not before and not much
 * after, and ERR_DEAD once the server is killed. Over LMP (the server on this
 * core) and UMP (on the next).
 *   silentpeer             runs both cases, a line each; exits 0 if both passed
 *   silentpeer serve NAME  the server: takes every request, answers none */
#include <chan.h>
#include <procs.h>
#include <signal.h>
#include <slot_alloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys.h>
#include <sys/wait.h>
#include <unistd.h>

#define CONNECT_NS 10000000000ull
#define WAIT_NS    300000000ull  /* the deadline, from the request */
#define LATE_NS    5000000000ull /* past the deadline: too late */
#define GO         0x7201

static int serve(const char *name)
{
    capaddr_t ep, take;
    if (slot_alloc(&ep) != OK || slot_alloc(&take) != OK || chan_register(name, 79, ep) != OK)
        return 1;
    struct chanset set = {0};
    for (;;) {
        msg_t m;
        struct chan *from;
        bool got_cap;
        if (chanset_recv(&set, &m, &from, take, &got_cap) != OK)
            continue;
        if (from == NULL && m.type == NS_CONNECTED && got_cap) {
            struct chan *c = calloc(1, sizeof *c);
            if (c == NULL || chan_accept(&m, c, take) != OK || chanset_add(&set, c) != OK ||
                slot_alloc(&take) != OK)
                return 1;
        } /* anything else: taken, never answered */
    }
}

static bool run_case(int core, bool remote)
{
    char name[NS_NAME_MAX];
    snprintf(name, sizeof name, "silentpeer.%d", core);
    char *args[] = {"silentpeer", "serve", name, NULL};
    pid_t pid = spawn_on(core, "silentpeer", args, NULL);
    struct chan c;
    err_t err = pid < 0  ? ERR_NOPROC
                : remote ? chan_connect(name, &c, CONNECT_NS)
                         : chan_lookup_wait(name, &c, CONNECT_NS);
    if (err != OK) {
        printf("silentpeer: core %d: no channel: %s\n", core, err_str(err));
        return false;
    }
    msg_t go = {.type = GO}, out;
    uint64_t t0 = sys_now_ns(), deadline = t0 + WAIT_NS;
    err_t waited = chan_send(&c, &go);
    if (waited == OK)
        waited = chan_recv_by(&c, &out, deadline);
    uint64_t t1 = sys_now_ns();
    int status = 0;
    bool dead = kill(pid, SIGKILL) == 0 && waitpid(pid, &status, 0) == pid;
    err_t after = remote ? chan_recv_by(&c, &out, sys_now_ns() + LATE_NS) : ERR_DEAD;
    bool ok = waited == ERR_TIMEDOUT && t1 >= deadline && t1 < deadline + LATE_NS && dead &&
              after == ERR_DEAD;
    printf("silentpeer: %s, server on core %d: %s after %lu ms, then %s: %s\n",
           remote ? "UMP" : "LMP", core, err_str(waited), (unsigned long)((t1 - t0) / 1000000),
           remote ? err_str(after) : "(LMP: not asked)", ok ? "ok" : "FAIL");
    chan_drop(&c);
    return ok;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "serve") == 0)
        return serve(argv[2]);
    int here = (int)sys_core_id(), there = (here + 1) % (int)sys_core_count();
    bool ok = run_case(here, false);
    if (there != here)
        ok = run_case(there, true) && ok;
    return ok ? 0 : 1;
}
