/* proto_monitor_calls.h — a protocol's client calls to this core's monitor,
 * over LMP through CAP_SLOT_MONITOR, made from its list (proto.h):
 * PROTO_MONITOR_CALLS(NS_MESSAGES) gives, for each row,
 *
 *     err_t name(const Request *in, Reply *out, capaddr_t give, capaddr_t take);
 *
 * give: a capability to pass along (0: none); take: an empty slot for the
 * one the answer brings (0: none). A row of struct proto_none takes NULL. */
#ifndef PROTO_MONITOR_CALLS_H
#define PROTO_MONITOR_CALLS_H

#include <cap_types.h>
#include <lmp_abi.h>
#include <proto.h>

MUST_CHECK err_t proto_lmp_call(capaddr_t ep, uint16_t type, const void *in, size_t in_bytes,
                                void *out, size_t out_bytes, capaddr_t give, capaddr_t take);

#define PROTO_MONITOR_ROW(T, v, n, Rq, Rp, f, ok)                                                  \
    static inline __attribute__((unused)) MUST_CHECK err_t n(const Rq *in, Rp *out,                \
                                                             capaddr_t give, capaddr_t take)       \
    {                                                                                              \
        return proto_lmp_call(CAP_SLOT_MONITOR, (T), in, sizeof(Rq), out, sizeof(Rp), give, take); \
    }
#define PROTO_MONITOR_CALLS(LIST) LIST(PROTO_MONITOR_ROW)

#endif
