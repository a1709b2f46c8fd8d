/* channels.c — the message paths tools/bench icount counts (ops.h): a call
 * to a benchsrv (usr/bench) through chan_call, and a UMP send and receive
 * with both ends in this domain (no other core, no kernel). */
#include <errno.h>
#include <procs.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../bench/bench_proto.h"
#include "ops.h"

#define FIND_NS   10000000000ull
#define PAIR_RING 16

int server_start(unsigned core, struct chan *c)
{
    char name[40], clients[] = "1";
    snprintf(name, sizeof name, "icount.%d.%u", (int)getpid(), core);
    char *argv[] = {"benchsrv", name, clients, NULL};
    pid_t pid = spawn_on((int)core, "benchsrv", argv, NULL);
    if (pid < 0) {
        printf("icount: cannot start benchsrv on core %u: %s\n", core, strerror(errno));
        return -1;
    }
    err_t err = chan_lookup_wait(name, c, FIND_NS);
    if (err != OK) {
        printf("icount: cannot reach benchsrv on core %u: %s\n", core, err_str(err));
        kill(pid, SIGKILL);
        (void)waitpid(pid, NULL, 0);
        return -1;
    }
    return pid;
}

static err_t ask(struct chan *c, uint16_t type)
{
    msg_t m = {.type = type}, r;
    return chan_call(c, &m, &r);
}

void server_stop(struct chan *c, int pid)
{
    (void)ask(c, BENCH_BYE);
    (void)waitpid(pid, NULL, 0);
    chan_drop(c);
}

void op_chan_call(void *chan)
{
    err_t err = ask(chan, BENCH_PING);
    if (err != OK) {
        printf("icount: chan_call: %s\n", err_str(err));
        exit(1);
    }
}

static _Alignas(64) uint8_t pair_ring[UMP_CHAN_BYTES(PAIR_RING)];

int ump_pair_init(struct ump_pair *p)
{
    ump_chan_clear(pair_ring, PAIR_RING);
    if (ump_chan_init(&p->a, pair_ring, PAIR_RING, 0) != OK ||
        ump_chan_init(&p->b, pair_ring, PAIR_RING, 1) != OK)
        return -1;
    return 0;
}

void op_ump_send_recv(void *pair)
{
    struct ump_pair *p = pair;
    msg_t m = {.type = 1};
    if (ump_send(&p->a.tx, &m) != OK || ump_recv(&p->b.rx, &m) != OK) {
        printf("icount: ump: the ring lost a message\n");
        exit(1);
    }
}
