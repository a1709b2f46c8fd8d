/* proto.c — a message against the rules of its protocol (proto.h). */
#include <proto.h>
#include <string.h>

err_t proto_find(const void *rules, size_t stride, unsigned n, const msg_t *m,
                 const struct proto_rule **found)
{
    *found = NULL;
    for (unsigned i = 0; i < n; i++) {
        const struct proto_rule *r = (const void *)((const char *)rules + i * stride);
        if (r->type != m->type)
            continue;
        *found = r;
        if (m->len < r->req_bytes || m->len > MSG_PAYLOAD_SIZE)
            return ERR_TRUNCATED;
        return r->check == NULL || r->check(m->payload) ? OK : ERR_INVAL;
    }
    return ERR_NOSYS;
}

bool proto_str_ok(const char *s, size_t max)
{
    size_t len = strnlen(s, max);
    return len > 0 && len < max;
}
