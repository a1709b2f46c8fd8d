/* proto_test.c — a protocol's list makes its types, sizes and rules, and
 * proto_find checks a message against them: unknown types, short payloads
 * and fields out of range are each refused with their own error. */
#include <proto.h>
#include <string.h>

#include "test.h"

struct t_name {
    char name[8];
};
struct t_pair {
    uint32_t a, b;
};

static bool t_name_ok(const void *p) { return proto_str_ok(((const struct t_name *)p)->name, 8); }

#define T_MESSAGES(X)                                                                              \
    X(T_NOTHING, 0x10, t_nothing, struct proto_none, struct proto_none, PROTO_IDEMPOTENT, NULL)    \
    X(T_NAME, 0x11, t_name, struct t_name, struct t_pair, 0, t_name_ok)                            \
    X(T_PAIR, 0x15, t_pair, struct t_pair, struct proto_none, 0, NULL)

PROTO_TYPES(t_msg_type, T_MESSAGES)

/* A table whose elements start with a rule, as a server's do. */
struct t_op {
    struct proto_rule rule;
    int handler;
};
#define T_OP_ROW(T, v, n, Rq, Rp, f, ok) {PROTO_RULE(T, v, n, Rq, Rp, f, ok), v},
static const struct t_op ops[] = {T_MESSAGES(T_OP_ROW)};

TEST(the_list_makes_types_and_sizes)
{
    CHECK_EQ(T_NOTHING, 0x10);
    CHECK_EQ(T_PAIR, 0x15);
    CHECK_EQ(T_NAME_LEN, sizeof(struct t_name));
    CHECK_EQ(T_NAME_REPLY_LEN, sizeof(struct t_pair));
    CHECK_EQ(T_NOTHING_LEN, 0);
    msg_t m = MSG(T_PAIR);
    CHECK_EQ(m.type, T_PAIR);
    CHECK_EQ(m.len, 8);
}

TEST(a_good_message_finds_its_row)
{
    const struct proto_rule *r;
    msg_t m = MSG(T_NAME);
    strcpy(msg_payload(&m, struct t_name)->name, "disk0");
    CHECK_EQ(PROTO_FIND(ops, &m, &r), OK);
    CHECK(r == &ops[1].rule);
    CHECK_EQ(((const struct t_op *)r)->handler, 0x11);
    CHECK_STR(r->name, "T_NAME");
    m = MSG(T_NOTHING);
    CHECK_EQ(PROTO_FIND(ops, &m, &r), OK);
    CHECK(r->flags & PROTO_IDEMPOTENT);
}

TEST(an_unknown_type_is_no_such_operation)
{
    const struct proto_rule *r;
    for (unsigned type = 0; type < 0x10000; type++) {
        msg_t m = {.type = (uint16_t)type, .len = MSG_PAYLOAD_SIZE};
        strcpy(msg_payload(&m, struct t_name)->name, "x");
        err_t err = PROTO_FIND(ops, &m, &r);
        if (type == 0x10 || type == 0x11 || type == 0x15)
            CHECK_EQ(err, OK);
        else
            CHECK_EQ(err, ERR_NOSYS);
    }
}

TEST(a_short_or_overlong_payload_is_refused)
{
    const struct proto_rule *r;
    msg_t m = MSG(T_PAIR);
    m.len = 7;
    CHECK_EQ(PROTO_FIND(ops, &m, &r), ERR_TRUNCATED);
    CHECK(r == &ops[2].rule);
    m.len = 0;
    CHECK_EQ(PROTO_FIND(ops, &m, &r), ERR_TRUNCATED);
    m.len = MSG_PAYLOAD_SIZE + 1; /* no payload is that long */
    CHECK_EQ(PROTO_FIND(ops, &m, &r), ERR_TRUNCATED);
    m.len = MSG_PAYLOAD_SIZE; /* longer than the row: the rest is ignored */
    CHECK_EQ(PROTO_FIND(ops, &m, &r), OK);
}

TEST(fields_out_of_range_are_invalid)
{
    const struct proto_rule *r;
    msg_t m = MSG(T_NAME);
    CHECK_EQ(PROTO_FIND(ops, &m, &r), ERR_INVAL); /* empty */
    memset(msg_payload(&m, struct t_name)->name, 'a', 8);
    CHECK_EQ(PROTO_FIND(ops, &m, &r), ERR_INVAL); /* no NUL within it */
    msg_payload(&m, struct t_name)->name[7] = '\0';
    CHECK_EQ(PROTO_FIND(ops, &m, &r), OK);
}

TEST(reply_types_past_the_last_error_are_invalid)
{
    msg_t r = {.type = ERR_NOPROC};
    CHECK_EQ(proto_reply_err(&r), ERR_NOPROC);
    r.type = ERR__COUNT;
    CHECK_EQ(proto_reply_err(&r), ERR_INVAL);
    r.type = 0xffff;
    CHECK_EQ(proto_reply_err(&r), ERR_INVAL);
}
