/* benchcli.c — the measuring side of the channel benchmark, one per core. For
 * every core's benchsrv it measures the round trip of a 64-byte message, the
 * one-way latency (by the counter all cores share) and, to other cores, the
 * throughput of a stream; to its own core that is LMP call/reply, elsewhere
 * UMP. The clients take turns (see wait_turn). Prints one line per pair, which
 * tools/bench gathers into tables:
 *   bench K->J kind rtt_ns rtt_counts oneway_ns msgs_per_s */
#include <chan.h>
#include <fmt.h>
#include <proto/ns.h>
#include <sys.h>

#include "bench_proto.h"
#include "measure.h"

#define ROUNDS      2000
#define STREAM      20000
#define MAX_SERVERS 40 /* cores measured: one channel, and one capability slot, each */

static void report(unsigned core, unsigned peer, const struct chan *c, const struct bench_result *r)
{
    sys_printf("bench %u->%u %s %llu %llu %llu %llu\n", core, peer,
               c->kind == NS_LOCAL ? "lmp" : "ump", (unsigned long long)r->rtt_ns,
               (unsigned long long)r->rtt_counts, (unsigned long long)r->oneway_ns,
               (unsigned long long)r->msgs_per_s);
}

/* The clients take turns, so that each pair is measured with the other cores
 * idle: client K waits until "benchdone.(K-1)" is registered. Its own core's
 * server registers that name for it, since a name goes when the domain that
 * registered it ends, and the servers live until every client is done. */
static void wait_turn(unsigned core)
{
    char name[NS_NAME_MAX];
    fmt_format(name, sizeof name, "benchdone.%u", core - 1);
    struct chan c;
    if (chan_lookup_wait(name, &c, 600000000000ull) == OK)
        chan_drop(&c); /* only its being there counts */
}

static struct chan chans[MAX_SERVERS];
static bool found[MAX_SERVERS];

int main(void)
{
    unsigned core = sys_core_id(), ncores = sys_core_count();
    if (ncores > MAX_SERVERS)
        ncores = MAX_SERVERS;
    if (core > 0)
        wait_turn(core);
    uint64_t counter_hz = bench_counter_hz();
    if (core == 0)
        sys_printf("bench counter %llu Hz\n", (unsigned long long)counter_hz);
    for (unsigned k = 0; k < ncores; k++) {
        char name[NS_NAME_MAX];
        fmt_format(name, sizeof name, "bench.%u", k);
        err_t err = chan_lookup_wait(name, &chans[k], 30000000000ull);
        if (err != OK) {
            sys_printf("bench %u: cannot find %s: %s\n", core, name, err_str(err));
            continue;
        }
        found[k] = true;
        struct bench_result r = bench_measure(&chans[k], ROUNDS, STREAM, counter_hz);
        report(core, k, &chans[k], &r);
    }
    if (core < ncores && found[core]) {
        msg_t m = {.type = BENCH_DONE}, r;
        (void)chan_call(&chans[core], &m, &r);
    }
    for (unsigned k = 0; k < ncores; k++) {
        if (found[k])
            bench_bye(&chans[k]);
    }
    return 0;
}
