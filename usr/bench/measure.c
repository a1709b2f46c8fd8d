/* measure.c — one measurement of the channel benchmark (see measure.h). */
#include "measure.h"

#include <proto/ns.h>
#include <sys.h>
#include <sys/arch.h>

#include "bench_proto.h"

#define WARMUP 100

uint64_t bench_counter_hz(void)
{
    uint64_t t0 = sys_now_ns(), c0 = sys_counter();
    while (sys_now_ns() - t0 < 20000000)
        ;
    uint64_t t1 = sys_now_ns(), c1 = sys_counter();
    return (c1 - c0) * 1000000000ull / (t1 - t0);
}

static err_t ask(struct chan *c, uint16_t type, uint64_t value, uint64_t *answer)
{
    msg_t m = {.type = type}, r;
    msg_payload(&m, struct bench_msg)->value = value;
    err_t err = chan_call(c, &m, &r);
    if (answer != NULL)
        *answer = msg_payload_const(&r, struct bench_msg)->value;
    return err;
}

struct bench_result bench_measure(struct chan *c, unsigned rounds, unsigned stream, uint64_t hz)
{
    struct bench_result res = {0};
    uint64_t oneway = 0, dummy;
    for (int i = 0; i < WARMUP; i++) /* warm up caches and the channel */
        (void)ask(c, BENCH_PING, sys_counter(), &dummy);
    uint64_t c0 = sys_counter();
    for (unsigned i = 0; i < rounds; i++) {
        uint64_t delta;
        (void)ask(c, BENCH_PING, sys_counter(), &delta);
        oneway += delta;
    }
    res.rtt_counts = (sys_counter() - c0) / rounds;
    res.rtt_ns = res.rtt_counts * 1000000000ull / hz;
    res.oneway_ns = oneway / rounds * 1000000000ull / hz;
    if (c->kind == NS_REMOTE) {
        msg_t m = {.type = BENCH_STREAM};
        uint64_t s0 = sys_counter(), got = 0;
        for (unsigned i = 0; i < stream; i++)
            (void)chan_send(c, &m);
        (void)ask(c, BENCH_COUNT, 0, &got);
        uint64_t ns = (sys_counter() - s0) * 1000000000ull / hz;
        res.msgs_per_s = ns ? got * 1000000000ull / ns : 0;
    }
    return res;
}

void bench_bye(struct chan *c) { (void)ask(c, BENCH_BYE, 0, NULL); }
