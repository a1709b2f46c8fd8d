/* proto_call.c — one request and its answer, the way every protocol's client
 * calls make them (proto_chan.h). */
#include <proto_chan.h>
#include <string.h>

err_t proto_chan_call_by(struct chan *c, uint16_t type, const void *in, size_t in_bytes, void *out,
                         size_t out_bytes, uint64_t deadline_ns)
{
    msg_t m = {.type = type, .len = (uint8_t)in_bytes}, r;
    if (in_bytes > 0)
        memcpy(m.payload, in, in_bytes);
    err_t err = chan_call_by(c, &m, &r, deadline_ns);
    if (err == OK)
        err = proto_reply_err(&r);
    if (err == OK && r.len < out_bytes)
        err = ERR_TRUNCATED; /* a server that does not keep its protocol */
    if (err == OK && out_bytes > 0)
        memcpy(out, r.payload, out_bytes);
    return err;
}

err_t proto_chan_call(struct chan *c, uint16_t type, const void *in, size_t in_bytes, void *out,
                      size_t out_bytes)
{
    return proto_chan_call_by(c, type, in, in_bytes, out, out_bytes, 0);
}
