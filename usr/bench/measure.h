/* measure.h — one measurement of the channel benchmark, shared by benchcli
 * (tools/bench --guest) and chanbench (the shell's utility). */
#ifndef BENCH_MEASURE_H
#define BENCH_MEASURE_H

#include <chan.h>
#include <stdint.h>

struct bench_result {
    uint64_t rtt_ns;     /* round trip of a 64-byte message */
    uint64_t rtt_counts; /* the same in counter ticks */
    uint64_t oneway_ns;  /* send to arrival, by the counter all cores share */
    uint64_t msgs_per_s; /* a UMP stream; 0 for LMP (same core) */
};

/* The counter's rate, measured against the clock over 20 ms. */
uint64_t bench_counter_hz(void);
/* Measures c (a benchsrv's channel) over rounds round trips and, over UMP, a
 * stream of stream messages. */
struct bench_result bench_measure(struct chan *c, unsigned rounds, unsigned stream,
                                  uint64_t counter_hz);
/* Tells the server this client is done with it. */
void bench_bye(struct chan *c);

#endif
