/* refusals.c — the monitor's lines about requests it refused, within a
 * budget. A refusal is worth a line to whoever debugs the domain that asked,
 * but a faulty or hostile domain can ask thousands of times a second, and
 * each line costs the core far more than the refusal itself: a monitor that
 * printed them all would starve its own core. So lines come from a bucket of
 * REFUSAL_BURST that refills at REFUSAL_RATE a second; what the bucket has no
 * room for is counted, and said as a count once the bucket has room again:
 * with the next refusal, or when the monitor next goes idle (an idle monitor
 * with a count to say sets an alarm for when it may). */
#include "monitor.h"

#include <stdarg.h>
#include <sys.h>

#define REFUSAL_BURST 20
#define REFUSAL_RATE  5 /* lines a second, once the burst is spent */
#define NS_PER_LINE   (1000000000ull / REFUSAL_RATE)

static uint64_t refilled_at; /* when the bucket last gained a line */
static unsigned budget = REFUSAL_BURST;
static unsigned long unsaid;

/* Takes a line from the bucket, refilled for the time gone by; false if empty. */
static bool take_line(void)
{
    uint64_t now = sys_now_ns();
    if (budget == REFUSAL_BURST) {
        refilled_at = now; /* a full bucket gains nothing while it waits */
    } else if (now - refilled_at >= NS_PER_LINE) {
        uint64_t lines = (now - refilled_at) / NS_PER_LINE;
        budget = lines >= REFUSAL_BURST - budget ? REFUSAL_BURST : budget + (unsigned)lines;
        refilled_at += lines * NS_PER_LINE;
    }
    if (budget == 0)
        return false;
    budget--;
    return true;
}

static void say_unsaid(void)
{
    sys_printf("monitor %u: %lu more refusals not shown\n", mon.core, unsaid);
    unsaid = 0;
}

void refusals_poll(void)
{
    if (unsaid > 0 && take_line())
        say_unsaid();
}

uint64_t refusals_due(void)
{
    return unsaid == 0 ? 0 : budget > 0 ? sys_now_ns() : refilled_at + NS_PER_LINE;
}

void mon_refusal(const char *fmt, ...)
{
    if (!take_line()) {
        unsaid++;
        return;
    }
    if (unsaid > 0)
        say_unsaid();
    va_list ap;
    va_start(ap, fmt);
    sys_vprintf(fmt, ap);
    va_end(ap);
}
