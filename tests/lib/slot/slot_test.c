/* slot_test.c — the capability-slot allocator: every slot handed out once,
 * freed slots used again, growth through cspace_grow, and a clear error when
 * the space is full. Each case runs in its own process, so each starts with a
 * fresh allocator. */
#include <slot_alloc.h>
#include <stdbool.h>

#include "test.h"

/* The growth hook, as the test sets it: 0 refuses, otherwise the new limit. */
static capaddr_t grow_to;
static unsigned grow_calls;

err_t cspace_grow(capaddr_t *new_limit)
{
    grow_calls++;
    if (grow_to == 0)
        return ERR_NOSPACE;
    *new_limit = grow_to;
    return OK;
}

static bool seen[SLOT_ALLOC_MAX];

/* Takes every slot the allocator has; fails the case on a slot given twice or
 * a well-known one. Returns how many. */
static unsigned fill(void)
{
    unsigned n = 0;
    capaddr_t s;
    while (slot_alloc(&s) == OK) {
        if (s < CAP_SLOT_FIRST_FREE || s >= SLOT_ALLOC_MAX || seen[s]) {
            test_fail(__FILE__, __LINE__, "slot %u handed out wrongly", (unsigned)s);
            return n;
        }
        seen[s] = true;
        n++;
    }
    return n;
}

TEST(slots_fill_the_first_space_each_once)
{
    CHECK_EQ(fill(), CSPACE_SLOTS - CAP_SLOT_FIRST_FREE);
    CHECK(!test_failed());
    for (capaddr_t s = CAP_SLOT_FIRST_FREE; s < CSPACE_SLOTS; s++)
        CHECK(seen[s]);
}

TEST(full_space_is_nospace_not_a_slot)
{
    (void)fill();
    capaddr_t s = 12345;
    CHECK_EQ(slot_alloc(&s), ERR_NOSPACE);
    CHECK_EQ(s, 12345); /* untouched */
    CHECK_EQ(grow_calls, 2);
}

TEST(freed_slot_is_used_again)
{
    (void)fill();
    slot_free(20);
    capaddr_t s;
    CHECK_EQ(slot_alloc(&s), OK);
    CHECK_EQ(s, 20);
    CHECK_EQ(slot_alloc(&s), ERR_NOSPACE);
}

TEST(lowest_free_slot_comes_first)
{
    (void)fill();
    slot_free(40);
    slot_free(9);
    slot_free(63);
    capaddr_t a, b, c;
    CHECK_EQ(slot_alloc(&a), OK);
    CHECK_EQ(slot_alloc(&b), OK);
    CHECK_EQ(slot_alloc(&c), OK);
    CHECK_EQ(a, 9);
    CHECK_EQ(b, 40);
    CHECK_EQ(c, 63);
}

TEST(well_known_and_foreign_slots_cannot_be_freed)
{
    capaddr_t s;
    CHECK_EQ(slot_alloc(&s), OK);
    CHECK_EQ(s, CAP_SLOT_FIRST_FREE);
    slot_free(CAP_SLOT_RAM);
    slot_free(0);
    slot_free(CSPACE_SLOTS); /* past the space */
    slot_free(100000);       /* past any space */
    slot_free(s + 1);        /* never taken */
    capaddr_t t;
    CHECK_EQ(slot_alloc(&t), OK);
    CHECK_EQ(t, s + 1);
}

TEST(double_free_gives_the_slot_out_once)
{
    capaddr_t a, b, c;
    CHECK_EQ(slot_alloc(&a), OK);
    slot_free(a);
    slot_free(a);
    CHECK_EQ(slot_alloc(&b), OK);
    CHECK_EQ(slot_alloc(&c), OK);
    CHECK_EQ(b, a);
    CHECK(c != b);
}

TEST(full_space_grows_through_the_hook)
{
    (void)fill();
    grow_to = 256;
    CHECK_EQ(fill(), 256 - CSPACE_SLOTS);
    CHECK(!test_failed());
    CHECK_EQ(slot_limit(), 256);
    for (capaddr_t s = CAP_SLOT_FIRST_FREE; s < 256; s++)
        CHECK(seen[s]);
}

TEST(growth_stops_at_the_largest_space)
{
    grow_to = 1000000; /* more than any space: the bitmap's size is the cap */
    CHECK_EQ(fill(), SLOT_ALLOC_MAX - CAP_SLOT_FIRST_FREE);
    CHECK(!test_failed());
    CHECK_EQ(slot_limit(), SLOT_ALLOC_MAX);
    capaddr_t s;
    CHECK_EQ(slot_alloc(&s), ERR_NOSPACE);
    slot_free(SLOT_ALLOC_MAX - 1);
    CHECK_EQ(slot_alloc(&s), OK);
    CHECK_EQ(s, SLOT_ALLOC_MAX - 1);
}

TEST(growth_by_nothing_is_nospace)
{
    (void)fill();
    grow_to = CSPACE_SLOTS; /* says OK, but the limit did not move */
    capaddr_t s;
    CHECK_EQ(slot_alloc(&s), ERR_NOSPACE);
    grow_to = 10;
    CHECK_EQ(slot_alloc(&s), ERR_NOSPACE);
    CHECK_EQ(slot_limit(), CSPACE_SLOTS);
}

TEST(free_and_reuse_in_a_grown_space_never_coincide)
{
    grow_to = 4096;
    static capaddr_t held[4096];
    unsigned n = 0;
    /* Take and give back in a pattern that leaves holes all over the map. */
    for (unsigned round = 0; round < 8; round++) {
        while (n < 4000 && slot_alloc(&held[n]) == OK)
            n++;
        for (unsigned i = round % 3; i < n; i += 3) {
            slot_free(held[i]);
            held[i] = held[--n];
        }
    }
    static bool mark[SLOT_ALLOC_MAX];
    for (unsigned i = 0; i < n; i++) {
        CHECK(held[i] >= CAP_SLOT_FIRST_FREE && held[i] < 4096);
        CHECK(!mark[held[i]]);
        mark[held[i]] = true;
    }
}
