/* ldisc_test.c — the console's line discipline: what it echoes, what a reader
 * gets, and that no input (a full line, a flood nobody reads, any byte at all)
 * overruns it. */
#include "../../../drivers/serial/ldisc.h"

#include "test.h"

static struct ldisc ld;
static char echo[4096];
static size_t echo_len;

/* Types s; the echo of all of it lands in echo; returns the events seen. */
static unsigned type(const char *s, size_t len)
{
    unsigned events = 0;
    echo_len = 0;
    for (size_t i = 0; i < len; i++) {
        char e[LDISC_ECHO_MAX];
        size_t n;
        events |= ldisc_input(&ld, s[i], e, &n);
        if (n > LDISC_ECHO_MAX)
            return 0xdead;
        if (echo_len + n < sizeof echo) {
            memcpy(echo + echo_len, e, n);
            echo_len += n;
        }
    }
    echo[echo_len] = '\0';
    return events;
}

#define TYPE(s) type((s), sizeof(s) - 1)

static const char *take(void)
{
    static char buf[LDISC_READY_MAX + 1];
    size_t n = ldisc_take(&ld, buf, LDISC_READY_MAX);
    buf[n] = '\0';
    return buf;
}

TEST(a_line_is_echoed_and_read_whole)
{
    ldisc_init(&ld);
    CHECK_EQ(TYPE("ls -l"), 0);
    CHECK_STR(echo, "ls -l");
    CHECK(!ldisc_readable(&ld)); /* nothing until the line ends */
    TYPE("\r");
    CHECK_STR(echo, "\n");
    CHECK(ldisc_readable(&ld));
    CHECK_STR(take(), "ls -l\n");
    CHECK(!ldisc_readable(&ld));
}

TEST(cr_lf_is_one_line_and_lf_alone_is_one_too)
{
    ldisc_init(&ld);
    TYPE("a\r\nb\nc\r\r");
    CHECK_STR(take(), "a\n");
    CHECK_STR(take(), "b\n");
    CHECK_STR(take(), "c\n");
    CHECK_STR(take(), "\n");
    CHECK(!ldisc_readable(&ld));
}

TEST(backspace_and_delete_erase_and_stop_at_the_start)
{
    ldisc_init(&ld);
    TYPE("abX\x7f");
    CHECK_STR(echo, "abX\b \b");
    TYPE("\b\b\b\x7f"); /* two erase, two find nothing */
    CHECK_STR(echo, "\b \b\b \b");
    TYPE("ok\n");
    CHECK_STR(take(), "ok\n");
}

TEST(ctrl_u_erases_the_line)
{
    ldisc_init(&ld);
    TYPE("abc\x15xy\n");
    CHECK_STR(take(), "xy\n");
}

TEST(ctrl_c_drops_the_line_and_asks_to_interrupt)
{
    ldisc_init(&ld);
    CHECK_EQ(TYPE("half a li\x03"), LDISC_INTR);
    CHECK(strstr(echo, "^C\n") != NULL);
    CHECK(!ldisc_readable(&ld));
    ldisc_push_newline(&ld); /* what the driver does with no foreground process */
    CHECK_STR(take(), "\n");
}

TEST(ctrl_d_on_an_empty_line_is_one_end_of_input)
{
    ldisc_init(&ld);
    TYPE("\x04");
    CHECK(ldisc_readable(&ld));
    char buf[8];
    CHECK_EQ(ldisc_take(&ld, buf, sizeof buf), 0);
    CHECK(!ldisc_readable(&ld)); /* the next read waits again */
    TYPE("abc\x04");             /* mid-line: what is there goes as it is */
    CHECK_STR(take(), "abc");
}

TEST(a_reader_gets_at_most_one_line_and_what_fits)
{
    ldisc_init(&ld);
    TYPE("first\nsecond\n");
    char buf[4];
    CHECK_EQ(ldisc_take(&ld, buf, 3), 3);
    CHECK(memcmp(buf, "fir", 3) == 0);
    CHECK_STR(take(), "st\n");
    CHECK_STR(take(), "second\n");
}

TEST(an_overlong_line_rings_the_bell_and_keeps_room_for_its_end)
{
    ldisc_init(&ld);
    char longline[LDISC_LINE_MAX + 50];
    memset(longline, 'x', sizeof longline);
    type(longline, sizeof longline);
    CHECK(strchr(echo, '\a') != NULL);
    TYPE("\n");
    const char *got = take();
    CHECK_EQ(strlen(got), LDISC_LINE_MAX);
    CHECK_EQ(got[LDISC_LINE_MAX - 1], '\n');
}

TEST(lines_nobody_reads_are_counted_when_they_no_longer_fit)
{
    ldisc_init(&ld);
    for (int i = 0; i < 500; i++)
        TYPE("0123456789\n");
    CHECK(ld.ready_len <= LDISC_READY_MAX);
    CHECK_EQ(ld.dropped, 500 - LDISC_READY_MAX / 11);
    CHECK_STR(take(), "0123456789\n");
}

TEST(arrow_and_function_keys_are_dropped_whole)
{
    ldisc_init(&ld);
    TYPE("ab\x1b[A\x1b[1;5C\x1bOPc\x1b[3~d\n"); /* up, ctrl-right, F1, delete */
    CHECK_STR(take(), "abcd\n");
}

TEST(ctrl_c_inside_an_escape_sequence_still_interrupts)
{
    ldisc_init(&ld);
    CHECK_EQ(TYPE("x\x1b[1\x03"), LDISC_INTR);
    TYPE("ok\n");
    CHECK_STR(take(), "ok\n");
}

TEST(every_byte_value_is_taken_without_overrun)
{
    ldisc_init(&ld);
    for (int round = 0; round < 8; round++) {
        for (int c = 0; c < 256; c++) {
            char ch = (char)c;
            CHECK(type(&ch, 1) != 0xdead);
        }
    }
    CHECK(ld.len < LDISC_LINE_MAX);
    CHECK(ld.ready_len <= LDISC_READY_MAX);
    char buf[LDISC_READY_MAX];
    while (ldisc_readable(&ld))
        (void)ldisc_take(&ld, buf, sizeof buf);
    CHECK(!ldisc_readable(&ld));
}
