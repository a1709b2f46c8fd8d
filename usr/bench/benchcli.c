/* benchcli.c — the measuring side of the channel benchmark, one per core. For
 * every core's benchsrv it measures the round trip of a 64-byte message, the
 * one-way latency (by the counter all cores share) and, to other cores, the
 * throughput of a stream; to its own core that is LMP call/reply, elsewhere
 * UMP. The clients take turns (see wait_turn). Prints one line per pair, which
 * tools/bench gathers into tables:
 *   bench K->J kind rtt_ns rtt_counts oneway_ns msgs_per_s */
#include <chan.h>
#include <fmt.h>
#include <lmp.h>
#include <proto/ns.h>
#include <string.h>
#include <sys.h>
#include <sys/arch.h>

#include "bench_proto.h"

#define ROUNDS     2000
#define STREAM     20000
#define SLOT_FIRST 20
#define SLOT_TURN  18
#define SLOT_DONE  19
#define CHAN_VA    0x50000000ul

static uint64_t counter_hz;

static void calibrate(void)
{
    uint64_t t0 = sys_now_ns(), c0 = sys_counter();
    while (sys_now_ns() - t0 < 20000000)
        ;
    uint64_t t1 = sys_now_ns(), c1 = sys_counter();
    counter_hz = (c1 - c0) * 1000000000ull / (t1 - t0);
}

static uint64_t to_ns(uint64_t counts) { return counts * 1000000000ull / counter_hz; }

static err_t ask(struct chan *c, uint16_t type, uint64_t value, uint64_t *answer)
{
    msg_t m = {.type = type}, r;
    msg_payload(&m, struct bench_msg)->value = value;
    err_t err = chan_call(c, &m, &r);
    if (answer != NULL)
        *answer = msg_payload_const(&r, struct bench_msg)->value;
    return err;
}

static void measure(unsigned core, unsigned peer, struct chan *c)
{
    uint64_t oneway = 0, dummy;
    for (int i = 0; i < 100; i++) /* warm up caches and the channel */
        (void)ask(c, BENCH_PING, sys_counter(), &dummy);
    uint64_t c0 = sys_counter();
    for (int i = 0; i < ROUNDS; i++) {
        uint64_t delta;
        (void)ask(c, BENCH_PING, sys_counter(), &delta);
        oneway += delta;
    }
    uint64_t rtt = (sys_counter() - c0) / ROUNDS;
    uint64_t rate = 0;
    if (c->kind == NS_REMOTE) {
        msg_t m = {.type = BENCH_STREAM};
        uint64_t s0 = sys_counter(), got = 0;
        for (int i = 0; i < STREAM; i++)
            (void)chan_send(c, &m);
        (void)ask(c, BENCH_COUNT, 0, &got);
        uint64_t ns = to_ns(sys_counter() - s0);
        rate = ns ? got * 1000000000ull / ns : 0;
    }
    sys_printf("bench %u->%u %s %llu %llu %llu %llu\n", core, peer,
               c->kind == NS_LOCAL ? "lmp" : "ump", (unsigned long long)to_ns(rtt),
               (unsigned long long)rtt, (unsigned long long)to_ns(oneway / ROUNDS),
               (unsigned long long)rate);
}

/* The clients take turns, so that each pair is measured with the other cores
 * idle: client K waits until "benchdone.(K-1)" is registered. */
static void wait_turn(unsigned core)
{
    char name[NS_NAME_MAX];
    fmt_format(name, sizeof name, "benchdone.%u", core - 1);
    struct chan c;
    (void)chan_lookup_wait(name, &c, SLOT_TURN, 0, 600000000000ull);
}

static void done_turn(unsigned core)
{
    char name[NS_NAME_MAX];
    fmt_format(name, sizeof name, "benchdone.%u", core);
    (void)chan_register(name, 300 + core, SLOT_DONE);
}

int main(void)
{
    unsigned core = sys_core_id(), ncores = sys_core_count();
    if (core > 0)
        wait_turn(core);
    calibrate();
    if (core == 0)
        sys_printf("bench counter %llu Hz\n", (unsigned long long)counter_hz);
    for (unsigned k = 0; k < ncores; k++) {
        char name[NS_NAME_MAX];
        fmt_format(name, sizeof name, "bench.%u", k);
        struct chan c;
        err_t err =
            chan_lookup_wait(name, &c, SLOT_FIRST + k, CHAN_VA + k * 0x2000ul, 30000000000ull);
        if (err != OK) {
            sys_printf("bench %u: cannot find %s: %s\n", core, name, err_str(err));
            continue;
        }
        measure(core, k, &c);
        (void)ask(&c, BENCH_BYE, 0, NULL);
    }
    done_turn(core);
    return 0;
}
