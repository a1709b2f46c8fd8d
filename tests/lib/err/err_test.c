/* err_test.c — every error code has its own readable name. */
#include <err.h>

#include "test.h"

TEST(every_code_has_a_distinct_name)
{
    for (int a = 0; a < ERR__COUNT; a++) {
        CHECK(err_str((err_t)a)[0] != '\0');
        CHECK(strcmp(err_str((err_t)a), "unknown error") != 0);
        for (int b = 0; b < a; b++)
            CHECK(strcmp(err_str((err_t)a), err_str((err_t)b)) != 0);
    }
}

TEST(out_of_range_code_is_unknown_not_a_crash)
{
    CHECK_STR(err_str(ERR__COUNT), "unknown error");
    CHECK_STR(err_str((err_t)-1), "unknown error");
}
