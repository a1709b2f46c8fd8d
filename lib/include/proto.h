/* proto.h — protocols declared once. A protocol is one X-macro list in its
 * header (proto/pm.h is an example): a row per message,
 *
 *     X(TYPE, value, name, request type, reply type, flags, check)
 *
 * and everything else is made from that list: the enum of types
 * (PROTO_TYPES), each type's payload sizes (TYPE_LEN, TYPE_REPLY_LEN, so
 * that MSG(TYPE) makes a request with its len set), the server's dispatch
 * table (SRV_OPS in server.h, which wants a handler serve_<name>), and the
 * client's calls (PROTO_CHAN_CALLS: a function <name> per row). Why macros
 * and not a generator: docs/protocols.md. */
#ifndef PROTO_H
#define PROTO_H

#include <err.h>
#include <msg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A request or reply that carries nothing. */
struct proto_none {
};

/* Flags of a row. Every request gets exactly one answer: an error too is an
 * answer, so a client's next call never reads the answer to its last. */
#define PROTO_IDEMPOTENT 0x1 /* asking twice does what asking once does: safe to retry */
/* Not idempotent, yet safe to send again to a restarted server after ERR_DEAD
 * (redial.h): the request carries what makes a repeat safe (a sequence number
 * the server checks), or what it did died with the server that did it. */
#define PROTO_REISSUE 0x2

/* What a receiver checks before a handler runs: a payload of at least
 * req_bytes, and check (if any) content with its fields. */
struct proto_rule {
    uint16_t type;
    uint8_t req_bytes;
    uint8_t rep_bytes;
    uint8_t flags;
    bool (*check)(const void *payload);
    const char *name;
};

#define PROTO_ENUM_ROW(T, v, n, Rq, Rp, f, ok) T = (v),
#define PROTO_LEN_ROW(T, v, n, Rq, Rp, f, ok)  T##_LEN = sizeof(Rq), T##_REPLY_LEN = sizeof(Rp),
#define PROTO_FIT_ROW(T, v, n, Rq, Rp, f, ok)                                                      \
    MSG_PAYLOAD_FITS(Rq);                                                                          \
    MSG_PAYLOAD_FITS(Rp);

/* enum tag with every type of LIST, and the sizes of their payloads. */
#define PROTO_TYPES(tag, LIST)                                                                     \
    enum tag { LIST(PROTO_ENUM_ROW) };                                                             \
    enum { LIST(PROTO_LEN_ROW) };                                                                  \
    LIST(PROTO_FIT_ROW)

/* A request of TYPE with its payload's len set (zeroed payload). */
#define MSG(T) ((msg_t){.type = (T), .len = T##_LEN})

/* The rule of one row, for a table of rules: {LIST(PROTO_RULE_ROW)}. */
#define PROTO_RULE(T, v, n, Rq, Rp, f, ok)                                                         \
    {                                                                                              \
        (T), sizeof(Rq), sizeof(Rp), (f), (ok), #T                                                 \
    }
#define PROTO_RULE_ROW(T, v, n, Rq, Rp, f, ok) PROTO_RULE(T, v, n, Rq, Rp, f, ok),

/* The rule for m's type among n rules whose stride is the size of the
 * structure each starts (a table of struct srv_op, or a monitor's), checked
 * against m: ERR_NOSYS if no rule has its type, ERR_TRUNCATED if its len is
 * short, ERR_INVAL if its fields are out of range. */
MUST_CHECK err_t proto_find(const void *rules, size_t stride, unsigned n, const msg_t *m,
                            const struct proto_rule **found);
#define PROTO_FIND(table, m, found)                                                                \
    proto_find((table), sizeof(table)[0], sizeof(table) / sizeof(table)[0], (m), (found))

/* Checks for fields, for a row's check column. */
/* Whether a char array of max bytes holds a NUL-terminated, non-empty string. */
bool proto_str_ok(const char *s, size_t max);

/* A reply's type: OK, or an err_t; a type past the last err_t is ERR_INVAL. */
static inline err_t proto_reply_err(const msg_t *r)
{
    return r->type < ERR__COUNT ? (err_t)r->type : ERR_INVAL;
}

#endif
