/* slot_default_test.c — without a growth hook of the program's own, a full
 * capability space is ERR_NOSPACE: the weak default of cspace_grow cannot grow. */
#include <slot_alloc.h>

#include "test.h"

TEST(default_hook_cannot_grow)
{
    capaddr_t dummy = 0;
    CHECK_EQ(cspace_grow(&dummy), ERR_NOSPACE);
}

TEST(full_space_without_a_hook_is_nospace)
{
    capaddr_t s;
    unsigned n = 0;
    while (slot_alloc(&s) == OK)
        n++;
    CHECK_EQ(n, CSPACE_SLOTS - CAP_SLOT_FIRST_FREE);
    CHECK_EQ(slot_alloc(&s), ERR_NOSPACE);
    CHECK_EQ(slot_limit(), CSPACE_SLOTS);
}
