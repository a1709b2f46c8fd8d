/* msg_test.c — the message is one cache line and endpoints keep their generation. */
#include <msg.h>
#include <stdalign.h>

#include "test.h"

struct example_req {
    uint64_t a;
    uint32_t b;
    char name[44];
};
MSG_PAYLOAD_FITS(struct example_req);

TEST(message_is_one_cache_line)
{
    CHECK_EQ(sizeof(msg_t), 64);
    CHECK_EQ(alignof(msg_t), 64);
    CHECK_EQ(MSG_PAYLOAD_SIZE, 56);
}

TEST(message_array_elements_each_start_a_line)
{
    static msg_t ring[4];
    for (int i = 0; i < 4; i++)
        CHECK_EQ((uintptr_t)&ring[i] % 64, 0);
}

TEST(payload_follows_eight_byte_header)
{
    msg_t m;
    CHECK_EQ((uintptr_t)m.payload - (uintptr_t)&m, 8);
    CHECK_EQ((uintptr_t)&m.source - (uintptr_t)&m, 4);
}

TEST(typed_payload_round_trips)
{
    msg_t m = {.type = 7};
    struct example_req *req = msg_payload(&m, struct example_req);
    req->a = 0x1122334455667788ull;
    req->b = 42;
    strcpy(req->name, "monitor");
    const struct example_req *back = msg_payload_const(&m, struct example_req);
    CHECK_EQ(back->a, 0x1122334455667788ull);
    CHECK_EQ(back->b, 42);
    CHECK_STR(back->name, "monitor");
    CHECK_EQ(m.type, 7);
}
