/* proto_lmp.c — one request to an LMP endpoint and its answer, the way the
 * calls of proto_monitor_calls.h make them. */
#include <lmp.h>
#include <proto_monitor_calls.h>
#include <string.h>

err_t proto_lmp_call(capaddr_t ep, uint16_t type, const void *in, size_t in_bytes, void *out,
                     size_t out_bytes, capaddr_t give, capaddr_t take)
{
    msg_t m = {.type = type, .len = (uint8_t)in_bytes}, r;
    if (in_bytes > 0)
        memcpy(m.payload, in, in_bytes);
    err_t err = lmp_call(ep, &m, &r, give, take);
    if (err == OK)
        err = proto_reply_err(&r);
    if (err == OK && r.len < out_bytes)
        err = ERR_TRUNCATED;
    if (err == OK && out_bytes > 0)
        memcpy(out, r.payload, out_bytes);
    return err;
}
