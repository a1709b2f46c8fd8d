/* proto_chan.h — a protocol's client calls over a channel (chan.h), made
 * from its list (proto.h): PROTO_CHAN_CALLS(PM_MESSAGES) gives, for each row,
 *
 *     err_t name(struct chan *c, const Request *in, Reply *out);
 *
 * which sends in with its len, waits for the answer and copies its payload to
 * out; it returns the server's err_t, or the channel's (ERR_DEAD once the
 * server hung up). A row of struct proto_none takes NULL. */
#ifndef PROTO_CHAN_H
#define PROTO_CHAN_H

#include <chan.h>
#include <proto.h>

MUST_CHECK err_t proto_chan_call(struct chan *c, uint16_t type, const void *in, size_t in_bytes,
                                 void *out, size_t out_bytes);
/* The same, its wait for the answer bounded as chan_call_by's (0: none). */
MUST_CHECK err_t proto_chan_call_by(struct chan *c, uint16_t type, const void *in, size_t in_bytes,
                                    void *out, size_t out_bytes, uint64_t deadline_ns);

#define PROTO_CHAN_ROW(T, v, n, Rq, Rp, f, ok)                                                     \
    static inline __attribute__((unused)) MUST_CHECK err_t n(struct chan *c, const Rq *in,         \
                                                             Rp *out)                              \
    {                                                                                              \
        return proto_chan_call(c, (T), in, sizeof(Rq), out, sizeof(Rp));                           \
    }
#define PROTO_CHAN_CALLS(LIST) LIST(PROTO_CHAN_ROW)

#endif
