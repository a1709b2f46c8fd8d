/* msgfuzz.h — what msgfuzz's parts share: the services it talks to, with
 * the requests of each protocol, and the making of one hostile message. */
#ifndef MSGFUZZ_H
#define MSGFUZZ_H

#include <chan.h>
#include <fuzz_rng.h>
#include <msg.h>
#include <stdbool.h>
#include <stdint.h>

/* A request of a protocol: its type and how long its payload is. */
struct row {
    uint16_t type;
    uint8_t len;
};

/* A service by name, or (name NULL) this core's monitor over LMP. */
struct target {
    const char *name;
    uint16_t base;          /* its protocol's first type */
    const struct row *rows; /* its requests */
    unsigned nrows;
    msg_t check;      /* a real request it must answer with OK once the fuzzing is over */
    struct chan chan; /* open while connected */
    bool connected;
    unsigned long sent, cut_offs, silent;
    uint64_t slowest_ns; /* the longest wait for an answer */
    uint16_t slowest_type;
};

extern struct target targets[];
extern const unsigned ntargets;

/* A random or mutated message for t; never one of the requests msgfuzz
 * leaves out (mutate.c says which, and why). own_pid: msgfuzz's. */
void make_message(struct fuzz_rng *r, const struct target *t, int32_t own_pid, msg_t *m);
/* Whether type is a request of t's protocol or the skeleton's (SRV_*). */
bool known_type(const struct target *t, uint16_t type);

#endif
