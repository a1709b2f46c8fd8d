/* chanbench — the channel benchmark from the shell: from the core it runs on
 * to every core (or the ones named), the round trip of a 64-byte message, the
 * one-way latency and the throughput of a stream. A benchsrv is started on
 * each target core for the run; to its own core the channel is LMP
 * (call/reply through the CPU driver), to the others UMP (shared memory).
 * The stream is 10 messages for each round trip.
 *   chanbench [-n ROUNDS] [CORE...]        e.g. @2 chanbench 0 3 */
#include <chan.h>
#include <errno.h>
#include <procs.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../bench/measure.h"

#define FIND_NS          10000000000ull
#define ROUNDS           2000
#define STREAM_PER_ROUND 10 /* messages streamed per round trip measured */
#define MAX_TARGETS      32

static int usage(void)
{
    fprintf(stderr, "usage: chanbench [-n ROUNDS] [CORE...]\n");
    return 2;
}

/* Starts a server on core under a name of this run's own, measures, ends it. */
static int bench_core(unsigned core, unsigned rounds, uint64_t hz)
{
    char name[40], clients[] = "1";
    snprintf(name, sizeof name, "chanbench.%d.%u", (int)getpid(), core);
    char *argv[] = {"benchsrv", name, clients, NULL};
    pid_t pid = spawn_on((int)core, "benchsrv", argv, NULL);
    if (pid < 0) {
        printf("%7u  cannot start benchsrv there: %s\n", core, strerror(errno));
        return 1;
    }
    struct chan c;
    err_t err = chan_lookup_wait(name, &c, FIND_NS);
    if (err != OK) {
        printf("%7u  cannot reach benchsrv: %s\n", core, err_str(err));
        kill(pid, SIGKILL);
        (void)waitpid(pid, NULL, 0);
        return 1;
    }
    struct bench_result r = bench_measure(&c, rounds, STREAM_PER_ROUND * rounds, hz);
    bench_bye(&c);
    int status;
    (void)waitpid(pid, &status, 0);
    char rate[32] = "-";
    if (r.msgs_per_s != 0)
        snprintf(rate, sizeof rate, "%lu", (unsigned long)r.msgs_per_s);
    /* (newlib is built with nano formatting: no %ll; long is 64 bits here) */
    printf("%7u  %-4s %12lu %12lu %14s\n", core, c.kind == NS_LOCAL ? "lmp" : "ump",
           (unsigned long)r.rtt_ns, (unsigned long)r.oneway_ns, rate);
    chan_drop(&c); /* its server has ended */
    return 0;
}

int main(int argc, char **argv)
{
    unsigned rounds = ROUNDS, ncores = sys_core_count();
    unsigned targets[MAX_TARGETS], count = 0;
    for (int i = 1; i < argc; i++) {
        char *end;
        if (strcmp(argv[i], "-n") == 0 && i + 1 < argc) {
            long n = strtol(argv[++i], &end, 10);
            if (*end != '\0' || n < 1 || n > 1000000)
                return usage();
            rounds = (unsigned)n;
            continue;
        }
        long k = strtol(argv[i], &end, 10);
        if (*end != '\0' || k < 0 || (unsigned long)k >= ncores || count == MAX_TARGETS) {
            fprintf(stderr, "chanbench: %s: not a core (0..%u)\n", argv[i], ncores - 1);
            return usage();
        }
        targets[count++] = (unsigned)k;
    }
    for (unsigned k = 0; count == 0 && k < ncores && k < MAX_TARGETS; k++)
        targets[k] = k;
    if (count == 0)
        count = ncores < MAX_TARGETS ? ncores : MAX_TARGETS;
    uint64_t hz = bench_counter_hz();
    printf("chanbench: from core %u, %u round trips each (times in ns; QEMU TCG is "
           "emulated: compare rows, not hardware)\n",
           sys_core_id(), rounds);
    printf("to core  kind   round trip      one-way  stream msg/s\n");
    int failed = 0;
    for (unsigned i = 0; i < count; i++)
        failed += bench_core(targets[i], rounds, hz);
    return failed ? 1 : 0;
}
