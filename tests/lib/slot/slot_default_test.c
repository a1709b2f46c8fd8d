/* slot_default_test.c — with a growth hook that cannot grow, a full
 * capability space is ERR_NOSPACE, and the limit stays where it was. */
#include <slot_alloc.h>

#include "test.h"

err_t cspace_grow(capaddr_t *new_limit)
{
    (void)new_limit;
    return ERR_NOSPACE;
}

TEST(full_space_that_cannot_grow_is_nospace)
{
    capaddr_t s;
    unsigned n = 0;
    while (slot_alloc(&s) == OK)
        n++;
    CHECK_EQ(n, CSPACE_SLOTS - CAP_SLOT_FIRST_FREE);
    CHECK_EQ(slot_alloc(&s), ERR_NOSPACE);
    CHECK_EQ(slot_limit(), CSPACE_SLOTS);
}
