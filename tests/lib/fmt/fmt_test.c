/* fmt_test.c — fmt_format agrees with the C library's snprintf on everything it
 * supports, and never writes past the buffer. */
#include <fmt.h>
#include <stdio.h>

#include "test.h"

#define SAME(...)                                                                                  \
    do {                                                                                           \
        char want_[128], got_[128];                                                                \
        int wn_ = snprintf(want_, sizeof want_, __VA_ARGS__);                                      \
        size_t gn_ = fmt_format(got_, sizeof got_, __VA_ARGS__);                                   \
        CHECK_STR(got_, want_);                                                                    \
        CHECK_EQ(gn_, wn_);                                                                        \
    } while (0)

TEST(integers_match_libc)
{
    SAME("%d %d %d", 0, -1, 2147483647);
    SAME("%d", (int)-2147483647 - 1);
    SAME("%u %x %X", 4000000000u, 0xdeadbeefu, 0xabcu);
    SAME("%ld %lu %lx", -9000000000l, 18000000000ul, 0xffffffff80000000ul);
    SAME("%lld %llx", -1ll, 0xffffffffffffffffull);
    SAME("%zu %zx", (size_t)12345, (size_t)0x1000);
    SAME("%i", 42);
}

TEST(widths_and_flags_match_libc)
{
    SAME("[%5d][%-5d][%05d]", 42, 42, 42);
    SAME("[%05d][%5d]", -42, -42);
    SAME("[%016lx]", 0x1234ul);
    SAME("[%8s][%-8s]", "ab", "ab");
    SAME("[%3c][%-3c]", 'x', 'y');
    SAME("[%2d]", 12345);
}

TEST(strings_chars_percent_and_pointers)
{
    SAME("%s|%c|%%", "hello", 'z');
    SAME("%p", (void *)0x1234);
    char buf[32];
    fmt_format(buf, sizeof buf, "%s", (const char *)NULL);
    CHECK_STR(buf, "(null)");
}

TEST(truncates_like_snprintf)
{
    char buf[8];
    memset(buf, 'Z', sizeof buf);
    CHECK_EQ(fmt_format(buf, 5, "abcdefgh"), 8);
    CHECK_STR(buf, "abcd");
    CHECK_EQ(buf[5], 'Z');
    CHECK_EQ(fmt_format(buf, 0, "xyz"), 3);
    CHECK_EQ(buf[0], 'a');
}

TEST(unknown_conversion_is_copied_through)
{
    char buf[32];
    fmt_format(buf, sizeof buf, "a%qb");
    CHECK_STR(buf, "a%qb");
    fmt_format(buf, sizeof buf, "end%");
    CHECK_STR(buf, "end%");
}
