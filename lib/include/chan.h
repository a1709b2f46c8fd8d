/* chan.h — one message API over both kinds of channel. A domain finds a server
 * by name (chan_lookup) and gets a channel: LMP through the CPU driver if the
 * server is on its core, UMP over shared memory if it is on another. It sends
 * and calls the same way on either, and a server waits on all its channels at
 * once (chanset_recv). */
#ifndef CHAN_H
#define CHAN_H

#include <cap_types.h>
#include <err.h>
#include <msg.h>
#include <stdbool.h>
#include <stdint.h>
#include <table.h>
#include <ump.h>

struct chan {
    int kind;      /* NS_LOCAL or NS_REMOTE (proto/ns.h) */
    capaddr_t cap; /* the server's endpoint, or the channel frame; the channel's own slot */
    uintptr_t va;  /* NS_REMOTE: where the frame is mapped (from va_alloc) */
    unsigned peer_core;
    uint32_t peer_domain; /* a server's channel: the client's domain on peer_core */
    struct ump_chan ump;  /* NS_REMOTE */
};

/* Looks name up through this core's monitor. The channel takes a capability
 * slot (slot_alloc.h) and, if remote, an address for its frame (va_layout.h)
 * of its own; chan_drop gives them back. On failure nothing is kept. */
MUST_CHECK err_t chan_lookup(const char *name, struct chan *c);
/* A UMP channel of its own to the server of name, even on this core (the
 * server knows its clients by their channels), waiting up to timeout_ns for
 * the name to appear. */
MUST_CHECK err_t chan_connect(const char *name, struct chan *c, uint64_t timeout_ns);
/* Publishes name with a new endpoint to this domain (badge, in slot ep). */
MUST_CHECK err_t chan_register(const char *name, uint32_t badge, capaddr_t ep);
/* The same, for a server that will answer NS_DISCONNECTED (a client ended) by
 * dropping that client's channels and calling chan_closed. */
MUST_CHECK err_t chan_register_hearing_ends(const char *name, uint32_t badge, capaddr_t ep);
/* Tells this core's monitor that the server has dropped every channel of the
 * client an NS_DISCONNECTED named (its payload, struct ns_peer). */
err_t chan_closed(const msg_t *disconnected);
/* chan_lookup, trying again while the name is unknown, for up to timeout_ns:
 * a server starting at the same time (or on another core) may not be there yet. */
MUST_CHECK err_t chan_lookup_wait(const char *name, struct chan *c, uint64_t timeout_ns);
/* A server's side of a channel its monitor handed over (NS_CONNECTED, with the
 * frame capability in slot, which came from slot_alloc). On success the
 * channel owns slot (chan_drop frees it) and maps the frame at an address of
 * its own; on failure slot stays the caller's (delete what is left in it). */
MUST_CHECK err_t chan_accept(const msg_t *connected, struct chan *c, capaddr_t slot);
/* Lets go of a channel: its capability is deleted (which unmaps the frame),
 * and its slot and address go back to their allocators. The other end is not
 * told; its monitor learns when this domain ends. */
void chan_drop(struct chan *c);
/* Tells the other end that this one takes nothing more: its sends and the
 * answer it waits for fail with ERR_DEAD (a UMP channel; an LMP one is told
 * by its endpoint's end). */
void chan_hang_up(struct chan *c);
/* Sends m, waiting while the ring is full. ERR_DEAD if the other end hung up
 * or died (its monitor hangs up for it): a wait ends, later sends fail at once. */
MUST_CHECK err_t chan_send(struct chan *c, const msg_t *m);
/* chan_send that never waits: ERR_WOULDBLOCK when the ring is full (a server
 * answering a client that does not read its answers). */
MUST_CHECK err_t chan_try_send(struct chan *c, const msg_t *m);
/* Waits for the next message on this one channel; ERR_DEAD once the other
 * end has hung up or died and nothing it sent is left to take. */
MUST_CHECK err_t chan_recv(struct chan *c, msg_t *out);
/* chan_recv that gives up with ERR_TIMEDOUT once the clock (sys_now_ns)
 * reaches deadline_ns; 0: never. For a client that must not wait forever on
 * a server that still lives but no longer answers. */
MUST_CHECK err_t chan_recv_by(struct chan *c, msg_t *out, uint64_t deadline_ns);
/* chan_call whose wait for the answer gives up at deadline_ns (0: never) over
 * UMP; over LMP the CPU driver's call waits as chan_call does. After
 * ERR_TIMEDOUT the answer may still come and would be the next one received:
 * drop the channel, or tell the answers apart. */
MUST_CHECK err_t chan_call_by(struct chan *c, const msg_t *in, msg_t *out, uint64_t deadline_ns);
/* Sends in, then waits for the answer; ERR_DEAD as chan_send and chan_recv
 * (LMP: the CPU driver ends the call when the callee dies). */
MUST_CHECK err_t chan_call(struct chan *c, const msg_t *in, msg_t *out);

/* The channels a server waits on: as many as its memory allows. Zeroed is
 * empty; chanset_add grows it. */
struct chanset {
    unsigned count;
    struct table t;   /* of struct chan *; set up by chanset_add */
    bool report_dead; /* chanset_recv says which channel's other end went (below) */
};

/* Adds c to the set; ERR_NOMEM if the set cannot grow. */
MUST_CHECK err_t chanset_add(struct chanset *s, struct chan *c);
/* The set's channel i (i < count). */
static inline struct chan *chanset_at(const struct chanset *s, unsigned i)
{
    return ((struct chan **)s->t.items)[i];
}

/* Waits for a message on any channel of the set or by LMP (then *from is NULL
 * and out->source is the sender's badge; a capability goes to slot take).
 * With report_dead set, a UMP channel whose other end hung up or died, with
 * nothing left in it, ends the wait with ERR_DEAD and *from naming it: take
 * it out of the set, or the next wait says the same again. */
MUST_CHECK err_t chanset_recv(struct chanset *s, msg_t *out, struct chan **from, capaddr_t take,
                              bool *got_cap);
/* Takes c out of the set; false if it was not in it. */
bool chanset_remove(struct chanset *s, const struct chan *c);
/* Answers a message chanset_recv returned. */
MUST_CHECK err_t chan_reply(struct chan *from, const msg_t *m);
/* Answers a message chanset_recv returned and waits for the next, as one step:
 * an answer to a local caller goes back with a direct switch to it (LMP's
 * reply-and-receive) when no other channel has a message waiting. */
MUST_CHECK err_t chanset_reply_recv(struct chanset *s, struct chan *from, const msg_t *reply,
                                    msg_t *out, struct chan **next, capaddr_t take, bool *got_cap);

#endif
