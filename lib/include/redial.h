/* redial.h — a client's channel to a server known by its name, which
 * outlives the server: when a call finds the server dead (ERR_DEAD), it
 * connects to the name again (a restarted server registers it anew), grants
 * the new server the frame the client had granted the old one, and sends the
 * request again if a repeat is safe: its row is PROTO_IDEMPOTENT or
 * PROTO_REISSUE (proto.h). Any other request returns ERR_DEAD, and the next
 * call connects again. ERR_DEAD from chan_call means no answer came: the
 * request may or may not have been done, so only a request that is safe to
 * repeat is repeated. PROTO_REDIAL_CALLS(LIST) gives, for each row,
 *
 *     err_t name(struct redial *r, const Request *in, Reply *out);
 *
 * as PROTO_CHAN_CALLS does over a struct chan (proto_chan.h). */
#ifndef REDIAL_H
#define REDIAL_H

#include <chan.h>
#include <grant.h>
#include <proto.h>

/* How long a call waits for the name to come back before it gives up with
 * ERR_DEAD. */
#define REDIAL_WAIT_NS 10000000000ull

struct redial {
    const char *name; /* the server's; the caller keeps the string */
    uint64_t wait_ns; /* for the name to come back; redial_open sets REDIAL_WAIT_NS */
    /* How long a call waits for its answer over UMP (0, redial_open's: for
     * ever): then ERR_TIMEDOUT, and the channel is let go, since the answer
     * may still come; the next call dials again. For a server that lives but
     * no longer answers, which RS cannot tell from a busy one. */
    uint64_t answer_ns;
    struct chan chan;   /* valid while up */
    bool up;            /* connected; false after a failed redial */
    struct grant grant; /* the frame granted to the server; grant.frame 0: none */
    unsigned redials;   /* how many times it connected again */
};

/* Connects to the server of name, waiting up to timeout_ns for it to appear. */
MUST_CHECK err_t redial_open(struct redial *r, const char *name, uint64_t timeout_ns);
/* Grants the server a frame of bytes (grant.h) in r->grant, granted again
 * to each server that follows. */
MUST_CHECK err_t redial_grant(struct redial *r, uint64_t bytes);
/* Takes the grant back. */
void redial_grant_drop(struct redial *r);
/* One request of type with its row's flags, and its answer, as
 * proto_chan_call; a dead server is dialled again as said above. */
MUST_CHECK err_t redial_call(struct redial *r, uint16_t type, unsigned flags, const void *in,
                             size_t in_bytes, void *out, size_t out_bytes);
/* Connects again now (the grant renewed), for a client that keeps several
 * requests in flight on r->chan itself and found the server dead: OK, or
 * ERR_DEAD if the name did not come back within r->wait_ns. Which of its
 * requests were done is unknown: it repeats them only if they are safe to. */
MUST_CHECK err_t redial_again(struct redial *r);
/* Lets go of the channel and the grant. */
void redial_close(struct redial *r);

#define PROTO_REDIAL_ROW(T, v, n, Rq, Rp, f, ok)                                                   \
    static inline __attribute__((unused)) MUST_CHECK err_t n(struct redial *r, const Rq *in,       \
                                                             Rp *out)                              \
    {                                                                                              \
        return redial_call(r, (T), (f), in, sizeof(Rq), out, sizeof(Rp));                          \
    }
#define PROTO_REDIAL_CALLS(LIST) LIST(PROTO_REDIAL_ROW)

#endif
