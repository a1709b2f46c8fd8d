/* alarm_probe.c — checks SYS_ALARM: an alarm wakes a blocked receive with its
 * bits, never before its time; a new alarm replaces the last; a cancelled one
 * never comes; one already due comes at once; a receive that filters leaves
 * the bits for one that takes notifications. Prints one line per check. */
#include <lmp.h>
#include <string.h>
#include <sys.h>

#include "probe.h"

#define MS          1000000ull
#define LATE_NS     (2000 * MS) /* how late an alarm may be on a busy TCG host */
#define OTHER_BADGE 77          /* a sender this domain never has */

/* One receive (flags as lmp_recv's; a cross-core wake-up of a wakeable one is
 * waited out, as chanset_recv does): the notification's bits, or 0 if what
 * came was not a notification or nothing came. */
static uint64_t receive_bits(uint32_t from, unsigned flags, err_t *err)
{
    msg_t m;
    bool got_cap;
    do {
        *err = lmp_recv(&m, 0, from, flags, &got_cap);
    } while (*err == ERR_WOULDBLOCK && (flags & LMP_WAKEABLE) && !(flags & LMP_NONBLOCK));
    if (*err != OK || !lmp_is_notification(&m))
        return 0;
    uint64_t bits;
    memcpy(&bits, m.payload, sizeof bits);
    return bits;
}

static err_t check(bool ok) { return ok ? OK : ERR_INVAL; }

/* (a) An alarm 50 ms ahead wakes a plain blocking receive, and one in a
 * wakeable receive (how chanset_recv waits). */
static void wakes_a_receive(void)
{
    uint64_t at = sys_now_ns() + 50 * MS;
    err_t err = sys_alarm(at, 0x10);
    uint64_t bits = err == OK ? receive_bits(LMP_ANY, 0, &err) : 0;
    uint64_t woke = sys_now_ns();
    expect("an alarm 50 ms ahead wakes a blocking receive with its bits",
           err != OK ? err : check(bits == 0x10), OK);
    expect("... not before its time", check(woke >= at), OK);
    expect("... and not long after it", check(woke < at + LATE_NS), OK);
    sys_printf("alarm_probe: woke %lu us after the alarm's time\n",
               (unsigned long)((woke - at) / 1000));

    at = sys_now_ns() + 20 * MS;
    err = sys_alarm(at, 0x20);
    bits = err == OK ? receive_bits(LMP_ANY, LMP_WAKEABLE, &err) : 0;
    expect("an alarm wakes a wakeable receive (as chanset_recv waits)",
           err != OK ? err : check(bits == 0x20 && sys_now_ns() >= at), OK);
}

/* (b) The second alarm replaces the first, which was due earlier. */
static void replaced(void)
{
    uint64_t first = sys_now_ns() + 20 * MS, second = first + 40 * MS;
    err_t err = sys_alarm(first, 0x1);
    if (err == OK)
        err = sys_alarm(second, 0x2);
    uint64_t bits = err == OK ? receive_bits(LMP_ANY, 0, &err) : 0;
    expect("a replaced alarm: only the second comes, at its time",
           err != OK ? err : check(bits == 0x2 && sys_now_ns() >= second), OK);
}

/* (c) A cancelled alarm would have come during the sleep; the later alarm's
 * notification would then carry its bits too. */
static void cancelled(void)
{
    err_t err = sys_alarm(sys_now_ns() + 10 * MS, 0x4);
    if (err == OK)
        err = sys_alarm(0, 0);
    sys_sleep_ns(60 * MS);
    if (err == OK)
        err = sys_alarm(sys_now_ns() + 10 * MS, 0x8);
    uint64_t bits = err == OK ? receive_bits(LMP_ANY, 0, &err) : 0;
    expect("a cancelled alarm never comes (a later one wakes alone)",
           err != OK ? err : check(bits == 0x8), OK);
}

/* (d) An alarm whose time has passed is there for the very next receive; a
 * receive that waits for one sender leaves it for one that takes any. */
static void already_due(void)
{
    err_t err = sys_alarm(1, 0x40);
    if (err == OK)
        (void)receive_bits(OTHER_BADGE, LMP_NONBLOCK, &err);
    expect("a receive from one sender does not take an alarm", err, ERR_WOULDBLOCK);
    uint64_t bits = receive_bits(LMP_ANY, LMP_NONBLOCK, &err);
    expect("an alarm already due is there at once", err != OK ? err : check(bits == 0x40), OK);
    (void)receive_bits(LMP_ANY, LMP_NONBLOCK, &err);
    expect("it comes once", err, ERR_WOULDBLOCK);
}

int main(void)
{
    probe_name = "alarm_probe";
    expect("an alarm with no bits", sys_alarm(sys_now_ns() + MS, 0), ERR_INVAL);
    wakes_a_receive();
    replaced();
    cancelled();
    already_due();
    return probe_done();
}
