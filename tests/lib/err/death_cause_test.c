/* death_cause_test.c — every cause of a domain's end has its own readable
 * name, and a cause from nowhere is not a crash. */
#include <proc_abi.h>

#include "test.h"

TEST(every_death_cause_has_a_distinct_name)
{
    for (unsigned a = 0; a < DEATH__COUNT; a++) {
        CHECK(death_cause_str(a)[0] != '\0');
        CHECK(strcmp(death_cause_str(a), "unknown cause") != 0);
        for (unsigned b = 0; b < a; b++)
            CHECK(strcmp(death_cause_str(a), death_cause_str(b)) != 0);
    }
}

TEST(the_causes_a_watcher_tells_apart_read_as_they_should)
{
    CHECK_STR(death_cause_str(DEATH_EXIT), "exit");
    CHECK_STR(death_cause_str(DEATH_KILLED), "killed");
    CHECK_STR(death_cause_str(DEATH_PAGE_FAULT), "page fault");
    CHECK_STR(death_cause_str(DEATH_ILLEGAL), "illegal instruction");
}

TEST(out_of_range_cause_is_unknown_not_a_crash)
{
    CHECK_STR(death_cause_str(DEATH__COUNT), "unknown cause");
    CHECK_STR(death_cause_str(0xffffffffu), "unknown cause");
}
