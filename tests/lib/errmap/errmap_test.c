/* errmap_test.c — every error maps to a real errno, and the ones POSIX
 * callers test for map to what they expect. */
#include <errmap.h>
#include <errno.h>

#include "test.h"

TEST(every_error_has_an_errno)
{
    CHECK_EQ(errno_of(OK), 0);
    for (int e = 1; e < ERR__COUNT; e++)
        CHECK(errno_of((err_t)e) > 0);
}

TEST(the_process_calls_get_their_posix_errors)
{
    CHECK_EQ(errno_of(ERR_NOPROC), ESRCH);
    CHECK_EQ(errno_of(ERR_NOCHILD), ECHILD);
    CHECK_EQ(errno_of(ERR_TOOBIG), E2BIG);
    CHECK_EQ(errno_of(ERR_IO), EIO);
    CHECK_EQ(errno_of(ERR_NOENT), ENOENT);
    CHECK_EQ(errno_of(ERR_PERM), EPERM);
    CHECK_EQ(errno_of(ERR_WOULDBLOCK), EAGAIN);
    CHECK_EQ(errno_of(ERR_DEAD), EPIPE);
    CHECK_EQ(errno_of(ERR_LIMIT), EMFILE);
}

TEST(a_code_from_nowhere_is_an_io_error)
{
    CHECK_EQ(errno_of(ERR__COUNT), EIO);
    CHECK_EQ(errno_of((err_t)-1), EIO);
}
