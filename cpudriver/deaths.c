/* deaths.c — how this core's monitor learns that domains ended: each end is
 * written to a ring here and the monitor gets a notification; it collects the
 * records with SYS_KERNEL_REAP and tells whoever started the domain. */
#include <arch.h>
#include <bootinfo.h>
#include <dispatch.h>
#include <lmp_sys.h>
#include <mem.h>
#include <proc_abi.h>
#include <syscall.h>

#define FIRST_RING 128 /* in this core's data; a full ring doubles from the pool */

static struct death_record first[FIRST_RING];
static struct death_record *ring = first;
static paddr_t ring_phys; /* 0 while ring is first */
static unsigned size = FIRST_RING, head, count, dropped;

/* Twice the room, the records in order from index 0; false if this core's
 * pool is out of memory (then an end is dropped, and said so at the next reap). */
static bool grow(void)
{
    uint64_t bytes = 2ull * size * sizeof *ring;
    paddr_t p = mem_alloc_contiguous(bytes);
    if (p == 0)
        return false;
    struct death_record *more = arch_phys_to_virt(p);
    for (unsigned i = 0; i < count; i++)
        more[i] = ring[(head + i) % size];
    if (ring_phys != 0)
        mem_free_contiguous(ring_phys, size * sizeof *ring);
    ring = more;
    ring_phys = p;
    size *= 2;
    head = 0;
    return true;
}

void deaths_record(const struct dispatcher *d, const struct death_how *how)
{
    if (d->is_monitor)
        return;
    if (count == size && !grow()) {
        dropped++; /* said once the monitor reaps */
        return;
    }
    ring[(head + count) % size] = (struct death_record){.domain = d->id,
                                                        .status = how->status,
                                                        .signal = how->signal,
                                                        .cause = how->cause,
                                                        .addr = how->addr};
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
        head = (head + 1) % size;
        count--;
        n++;
    }
    return (struct sysret_value){OK, n};
}
