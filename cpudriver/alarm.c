/* alarm.c — SYS_ALARM: one timed notification per domain of this core. The
 * scheduler and the timer tick fire those that are due (alarm_due); an alarm
 * notifies its own domain once, as lmp_kernel_notify does, so a receive that
 * takes notifications wakes with the bits. Touches only this core's domains. */
#include <arch.h>
#include <dispatch.h>
#include <lmp_sys.h>

static void fire(struct dispatcher *d)
{
    uint64_t bits = d->alarm_bits;
    d->alarm_ns = 0;
    d->alarm_bits = 0;
    lmp_kernel_notify(d, bits);
}

void alarm_due(struct dispatcher *d, uint64_t now)
{
    if (d->alarm_ns != 0 && d->alarm_ns <= now)
        fire(d);
}

/* (at_ns, bits): replaces the caller's alarm; at_ns 0 cancels it (bits then
 * unused). A time already past fires at once. */
struct sysret_value alarm_sys_set(struct dispatcher *d, const uint64_t a[6])
{
    uint64_t at = a[0], bits = a[1];
    if (at != 0 && bits == 0)
        return (struct sysret_value){ERR_INVAL, 0};
    d->alarm_ns = at;
    d->alarm_bits = at != 0 ? bits : 0;
    alarm_due(d, arch_now_ns());
    return (struct sysret_value){OK, 0};
}
