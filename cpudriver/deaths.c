/* deaths.c — how this core's monitor learns that domains ended: each end is
 * written to a ring here and the monitor gets a notification; it collects the
 * records with SYS_KERNEL_REAP and tells whoever started the domain. */
#include <bootinfo.h>
#include <dispatch.h>
#include <lmp_sys.h>
#include <proc_abi.h>
#include <syscall.h>

#define DEATH_RING 128 /* the monitor drains it at each notification; a full ring says so */

static struct death_record ring[DEATH_RING];
static unsigned head, count, dropped;

void deaths_record(const struct dispatcher *d, int status, unsigned signal)
{
    if (d->is_monitor)
        return;
    if (count == DEATH_RING) {
        dropped++; /* never expected; said once the monitor reaps */
        return;
    }
    ring[(head + count) % DEATH_RING] =
        (struct death_record){.domain = d->id, .status = status, .signal = signal};
    count++;
    struct dispatcher *m = dispatch_find(dispatch_monitor_id());
    if (m != NULL)
        lmp_kernel_notify(m, NOTIFY_DOMAIN_DIED);
}

struct sysret_value deaths_sys_reap(struct dispatcher *d, const uint64_t a[6])
{
    struct cap *k;
    err_t err = cap_get(d, (capaddr_t)a[0], CAP_KERNEL, 0, &k);
    if (err != OK)
        return (struct sysret_value){err, 0};
    if (dropped > 0) {
        kprintf("cpu %u: %u ends of domains were not recorded (ring full)\n", boot_self()->id,
                dropped);
        dropped = 0;
    }
    uint64_t n = 0;
    uvaddr_t out = a[1];
    while (n < a[2] && count > 0) {
        err = uaccess_copy_out(d, out + n * sizeof ring[0], &ring[head], sizeof ring[0]);
        if (err != OK)
            return (struct sysret_value){err, 0};
        head = (head + 1) % DEATH_RING;
        count--;
        n++;
    }
    return (struct sysret_value){OK, n};
}
