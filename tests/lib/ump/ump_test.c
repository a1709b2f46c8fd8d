/* ump_test.c — the message ring: order, no loss or duplication, a full ring
 * refuses rather than overwrites, wrap-around, and two threads on two CPUs. */
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <ump.h>
#include <ump_wait.h>

#include "test.h"

#define SLOTS 16

static void *ring_alloc(uint32_t n)
{
    void *mem = aligned_alloc(64, UMP_RING_BYTES(n));
    ump_ring_clear(mem, n);
    return mem;
}

static msg_t numbered(uint64_t i)
{
    msg_t m = {.type = (uint16_t)(i & 0xffff), .len = (uint8_t)(i % 57), .source = 7};
    memcpy(m.payload, &i, sizeof i);
    m.payload[MSG_PAYLOAD_SIZE - 1] = (uint8_t)(i * 31);
    return m;
}

static uint64_t number_of(const msg_t *m)
{
    uint64_t i;
    memcpy(&i, m->payload, sizeof i);
    return i;
}

TEST(bad_sizes_and_alignment_are_refused)
{
    static uint8_t big[UMP_RING_BYTES(256)] __attribute__((aligned(64)));
    struct ump_tx big_tx;
    CHECK_EQ(ump_tx_init(&big_tx, big, 256), ERR_INVAL); /* the ctrl byte counts to 255 */
    CHECK_EQ(ump_tx_init(&big_tx, big, UMP_MAX_SLOTS), OK);
    struct ump_tx tx;
    static uint8_t mem[UMP_RING_BYTES(64) + 64] __attribute__((aligned(64)));
    CHECK_EQ(ump_tx_init(&tx, mem, 3), ERR_INVAL);
    CHECK_EQ(ump_tx_init(&tx, mem, 1), ERR_INVAL);
    CHECK_EQ(ump_tx_init(&tx, mem + 8, 16), ERR_INVAL);
    CHECK_EQ(ump_tx_init(&tx, NULL, 16), ERR_INVAL);
    CHECK_EQ(ump_tx_init(&tx, mem, 16), OK);
}

/* A receiver that hangs up: the sender's next send fails at once, full ring
 * or not, and an answer it waits for will not come. */
TEST(a_receiver_that_hangs_up_fails_the_next_send_at_once)
{
    void *mem = ring_alloc(SLOTS);
    struct ump_tx tx;
    struct ump_rx rx;
    CHECK_EQ(ump_tx_init(&tx, mem, SLOTS), OK);
    CHECK_EQ(ump_rx_init(&rx, mem, SLOTS), OK);
    msg_t m = numbered(1);
    CHECK_EQ(ump_send(&tx, &m), OK);
    CHECK(!ump_tx_closed(&tx));
    ump_rx_close(&rx);
    CHECK(ump_tx_closed(&tx));
    CHECK_EQ(ump_send(&tx, &m), ERR_DEAD);
    CHECK_EQ(ump_send(&tx, &m), ERR_DEAD);
    free(mem);
}

/* A full ring whose receiver then hangs up: the waiting sender gets ERR_DEAD,
 * not ERR_WOULDBLOCK forever. */
TEST(a_sender_waiting_on_a_full_ring_learns_of_a_hang_up)
{
    void *mem = ring_alloc(SLOTS);
    struct ump_tx tx;
    struct ump_rx rx;
    CHECK_EQ(ump_tx_init(&tx, mem, SLOTS), OK);
    CHECK_EQ(ump_rx_init(&rx, mem, SLOTS), OK);
    msg_t m = numbered(1);
    for (int i = 0; i < SLOTS; i++)
        CHECK_EQ(ump_send(&tx, &m), OK);
    CHECK_EQ(ump_send(&tx, &m), ERR_WOULDBLOCK);
    ump_rx_close(&rx);
    CHECK_EQ(ump_send(&tx, &m), ERR_DEAD);
    free(mem);
}

/* The hang-up flag sits on a line of its own, away from the counts the
 * receiver writes, so reading it on every send contends with nothing. */
TEST(the_hang_up_flag_has_a_line_of_its_own)
{
    void *mem = ring_alloc(SLOTS);
    struct ump_tx tx;
    CHECK_EQ(ump_tx_init(&tx, mem, SLOTS), OK);
    uintptr_t ack = (uintptr_t)tx.ack, hangup = (uintptr_t)tx.hangup;
    CHECK_EQ(hangup % MSG_SIZE, 0);
    CHECK(hangup >= ack + MSG_SIZE);
    CHECK_EQ(hangup + MSG_SIZE, (uintptr_t)mem + UMP_RING_BYTES(SLOTS));
    free(mem);
}

/* What a dead domain's monitor does: it hangs up the dead side's receiving
 * ring through the shared region; the living side's sends fail, and so does
 * its wait for an answer, while the dead side's view is untouched. */
TEST(hanging_up_a_side_for_it_is_seen_by_the_other_side)
{
    for (int dead = 0; dead < 2; dead++) {
        void *mem = aligned_alloc(64, UMP_CHAN_BYTES(SLOTS));
        ump_chan_clear(mem, SLOTS);
        struct ump_chan a, b;
        CHECK_EQ(ump_chan_init(&a, mem, SLOTS, dead), OK);
        CHECK_EQ(ump_chan_init(&b, mem, SLOTS, 1 - dead), OK);
        msg_t m = numbered(5), got;
        CHECK_EQ(ump_send(&b.tx, &m), OK);
        CHECK_EQ(ump_chan_hang_up_side(mem, SLOTS, dead), OK);
        CHECK(ump_tx_closed(&b.tx));
        CHECK(!ump_tx_closed(&a.tx));
        CHECK_EQ(ump_send(&b.tx, &m), ERR_DEAD);
        CHECK_EQ(ump_send(&a.tx, &m), OK); /* what the dead side sent stays readable */
        CHECK_EQ(ump_recv(&b.rx, &got), OK);
        CHECK_EQ(number_of(&got), 5);
        CHECK_EQ(ump_recv(&b.rx, &got), ERR_WOULDBLOCK);
        CHECK_EQ(ump_chan_hang_up_side(mem, SLOTS, 2), ERR_INVAL);
        free(mem);
    }
}

TEST(empty_ring_would_block)
{
    void *mem = ring_alloc(SLOTS);
    struct ump_rx rx;
    msg_t m;
    CHECK_EQ(ump_rx_init(&rx, mem, SLOTS), OK);
    CHECK_EQ(ump_recv(&rx, &m), ERR_WOULDBLOCK);
    free(mem);
}

TEST(messages_arrive_in_order_with_payload_intact)
{
    void *mem = ring_alloc(SLOTS);
    struct ump_tx tx;
    struct ump_rx rx;
    CHECK_EQ(ump_tx_init(&tx, mem, SLOTS), OK);
    CHECK_EQ(ump_rx_init(&rx, mem, SLOTS), OK);
    for (uint64_t i = 0; i < 10; i++) {
        msg_t m = numbered(i);
        CHECK_EQ(ump_send(&tx, &m), OK);
    }
    for (uint64_t i = 0; i < 10; i++) {
        msg_t m;
        CHECK_EQ(ump_recv(&rx, &m), OK);
        msg_t want = numbered(i);
        CHECK_EQ(number_of(&m), i);
        CHECK_EQ(m.type, want.type);
        CHECK_EQ(m.source, 7);
        CHECK_EQ(m.len, want.len);
        CHECK(memcmp(m.payload, want.payload, MSG_PAYLOAD_SIZE) == 0);
    }
    msg_t m;
    CHECK_EQ(ump_recv(&rx, &m), ERR_WOULDBLOCK);
    free(mem);
}

TEST(full_ring_refuses_and_loses_nothing)
{
    void *mem = ring_alloc(SLOTS);
    struct ump_tx tx;
    struct ump_rx rx;
    CHECK_EQ(ump_tx_init(&tx, mem, SLOTS), OK);
    CHECK_EQ(ump_rx_init(&rx, mem, SLOTS), OK);
    for (uint64_t i = 0; i < SLOTS; i++) {
        msg_t m = numbered(i);
        CHECK_EQ(ump_send(&tx, &m), OK);
    }
    msg_t extra = numbered(999);
    CHECK_EQ(ump_send(&tx, &extra), ERR_WOULDBLOCK);
    CHECK(!ump_tx_drained(&tx));
    for (uint64_t i = 0; i < SLOTS; i++) {
        msg_t m;
        CHECK_EQ(ump_recv(&rx, &m), OK);
        CHECK_EQ(number_of(&m), i);
    }
    msg_t m;
    CHECK_EQ(ump_recv(&rx, &m), ERR_WOULDBLOCK); /* publishes the acknowledgement */
    CHECK(ump_tx_drained(&tx));
    CHECK_EQ(ump_send(&tx, &extra), OK);
    free(mem);
}

TEST(wraps_around_many_times)
{
    void *mem = ring_alloc(SLOTS);
    struct ump_tx tx;
    struct ump_rx rx;
    CHECK_EQ(ump_tx_init(&tx, mem, SLOTS), OK);
    CHECK_EQ(ump_rx_init(&rx, mem, SLOTS), OK);
    uint64_t sent = 0, got = 0;
    /* 70000 messages: more than 2^16, so the 16-bit ctrl word wraps too. */
    while (got < 70000) {
        msg_t m = numbered(sent);
        if (sent < 70000 && ump_send(&tx, &m) == OK)
            sent++;
        if (ump_recv(&rx, &m) == OK) {
            CHECK_EQ(number_of(&m), got);
            got++;
        }
    }
    CHECK_EQ(sent, 70000);
    free(mem);
}

struct pair {
    void *mem;
    uint64_t count;
    uint64_t bad;
};

static void pin(int cpu)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu % 2, &set);
    (void)pthread_setaffinity_np(pthread_self(), sizeof set, &set);
}

static void *sender(void *arg)
{
    struct pair *p = arg;
    struct ump_tx tx;
    pin(0);
    if (ump_tx_init(&tx, p->mem, SLOTS) != OK)
        abort();
    for (uint64_t i = 0; i < p->count;) {
        msg_t m = numbered(i);
        if (ump_send(&tx, &m) == OK)
            i++;
        else
            sched_yield();
    }
    return NULL;
}

TEST(two_threads_on_two_cpus_exchange_ten_million_in_order)
{
    struct pair p = {ring_alloc(SLOTS), 10000000, 0};
    pthread_t th;
    CHECK_EQ(pthread_create(&th, NULL, sender, &p), 0);
    pin(1);
    struct ump_rx rx;
    CHECK_EQ(ump_rx_init(&rx, p.mem, SLOTS), OK);
    for (uint64_t i = 0; i < p.count;) {
        msg_t m;
        if (ump_recv(&rx, &m) != OK) {
            sched_yield();
            continue;
        }
        msg_t want = numbered(i);
        if (memcmp(m.payload, want.payload, MSG_PAYLOAD_SIZE) != 0 || m.type != want.type)
            p.bad++;
        i++;
    }
    pthread_join(th, NULL);
    CHECK_EQ(p.bad, 0);
    free(p.mem);
}

/* A receiver that blocks whenever the ring is empty must still get every
 * message: a lost wake-up would hang this case past its deadline. */
struct blocking {
    void *mem;
    uint64_t count;
};

static void *blocking_sender(void *arg)
{
    struct blocking *b = arg;
    struct ump_chan c;
    pin(0);
    if (ump_chan_init(&c, b->mem, SLOTS, 0) != OK)
        abort();
    for (uint64_t i = 0; i < b->count;) {
        msg_t m = numbered(i);
        if (ump_send(&c.tx, &m) == OK) {
            i++;
            ump_host_wake_if_waiting(&c.tx);
        } else {
            sched_yield();
        }
    }
    return NULL;
}

TEST(blocking_receiver_gets_every_message_without_lost_wakeups)
{
    struct blocking b = {aligned_alloc(64, UMP_CHAN_BYTES(SLOTS)), 200000};
    ump_chan_clear(b.mem, SLOTS);
    pthread_t th;
    CHECK_EQ(pthread_create(&th, NULL, blocking_sender, &b), 0);
    pin(1);
    struct ump_chan c;
    CHECK_EQ(ump_chan_init(&c, b.mem, SLOTS, 1), OK);
    uint64_t bad = 0;
    for (uint64_t i = 0; i < b.count; i++) {
        msg_t m;
        CHECK_EQ(ump_host_recv(&c.rx, &m, 4), OK);
        bad += number_of(&m) != i;
    }
    pthread_join(th, NULL);
    CHECK_EQ(bad, 0);
    free(b.mem);
}

TEST(channel_sides_talk_both_ways)
{
    void *mem = aligned_alloc(64, UMP_CHAN_BYTES(SLOTS));
    ump_chan_clear(mem, SLOTS);
    struct ump_chan a, b;
    CHECK_EQ(ump_chan_init(&a, mem, SLOTS, 0), OK);
    CHECK_EQ(ump_chan_init(&b, mem, SLOTS, 1), OK);
    CHECK_EQ(ump_chan_init(&b, mem, SLOTS, 2), ERR_INVAL);
    msg_t m = numbered(1), got;
    CHECK_EQ(ump_send(&a.tx, &m), OK);
    CHECK_EQ(ump_recv(&a.rx, &got), ERR_WOULDBLOCK); /* not its own message */
    CHECK_EQ(ump_recv(&b.rx, &got), OK);
    CHECK_EQ(number_of(&got), 1);
    m = numbered(2);
    CHECK_EQ(ump_send(&b.tx, &m), OK);
    CHECK_EQ(ump_recv(&a.rx, &got), OK);
    CHECK_EQ(number_of(&got), 2);
    free(mem);
}

/* Strict ping-pong where both sides block whenever they wait: the pattern in
 * which a wake-up racing with going to sleep would be lost for good. */
static void *pong(void *arg)
{
    struct blocking *b = arg;
    struct ump_chan c;
    pin(0);
    if (ump_chan_init(&c, b->mem, SLOTS, 1) != OK)
        abort();
    for (uint64_t i = 0; i < b->count; i++) {
        msg_t m;
        if (ump_host_recv(&c.rx, &m, 1) != OK || ump_send(&c.tx, &m) != OK)
            abort();
        ump_host_wake_if_waiting(&c.tx);
    }
    return NULL;
}

TEST(ping_pong_with_both_sides_blocking_never_stalls)
{
    struct blocking b = {aligned_alloc(64, UMP_CHAN_BYTES(SLOTS)), 20000};
    ump_chan_clear(b.mem, SLOTS);
    pthread_t th;
    CHECK_EQ(pthread_create(&th, NULL, pong, &b), 0);
    pin(1);
    struct ump_chan c;
    CHECK_EQ(ump_chan_init(&c, b.mem, SLOTS, 0), OK);
    uint64_t bad = 0;
    for (uint64_t i = 0; i < b.count; i++) {
        msg_t m = numbered(i);
        CHECK_EQ(ump_send(&c.tx, &m), OK);
        ump_host_wake_if_waiting(&c.tx);
        CHECK_EQ(ump_host_recv(&c.rx, &m, 1), OK);
        bad += number_of(&m) != i;
    }
    pthread_join(th, NULL);
    CHECK_EQ(bad, 0);
    free(b.mem);
}
