/* syscall.c — the system calls, one handler each, through one table indexed by
 * number. Every argument is checked; a bad one is an error return to the caller,
 * never a kernel crash. User memory is read only through uaccess_copy_in. */
#include <arch.h>
#include <bootinfo.h>
#include <dispatch.h>
#include <syscall.h>
#include <syscall_nums.h>

struct sysret {
    err_t err;
    uint64_t value;
};

typedef struct sysret (*syscall_fn)(struct dispatcher *d, const uint64_t a[6]);

static struct sysret ok(uint64_t v) { return (struct sysret){OK, v}; }
static struct sysret fail(err_t e) { return (struct sysret){e, 0}; }

static struct sysret sys_print(struct dispatcher *d, const uint64_t a[6])
{
    uvaddr_t buf = a[0];
    uint64_t len = a[1];
    if (len > SYS_PRINT_MAX)
        return fail(ERR_INVAL);
    char chunk[128];
    for (uint64_t done = 0; done < len;) {
        uint64_t n = len - done < sizeof chunk ? len - done : sizeof chunk;
        err_t err = uaccess_copy_in(d, chunk, buf + done, n);
        if (err != OK)
            return fail(err);
        linebuf_write(&d->out, chunk, n);
        done += n;
    }
    return ok(len);
}

static struct sysret sys_core_id(struct dispatcher *d, const uint64_t a[6])
{
    (void)d, (void)a;
    return ok(boot_self()->id);
}

static struct sysret sys_core_count(struct dispatcher *d, const uint64_t a[6])
{
    (void)d, (void)a;
    return ok(boot_info()->core_count);
}

static struct sysret sys_monitor_up(struct dispatcher *d, const uint64_t a[6])
{
    (void)a;
    if (!d->is_monitor)
        return fail(ERR_PERM);
    dispatch_monitor_up();
    return ok(0);
}

/* Calls that give up the core are handled in syscall_dispatch itself. */
static const syscall_fn table[SYS__COUNT] = {
    [SYS_PRINT] = sys_print,
    [SYS_CORE_ID] = sys_core_id,
    [SYS_CORE_COUNT] = sys_core_count,
    [SYS_MONITOR_UP] = sys_monitor_up,
};

NORETURN void syscall_dispatch(struct dispatcher *d, uint64_t num, const uint64_t a[6])
{
    switch (num) {
    case SYS_EXIT:
        dispatcher_exit(d, (int)a[0]);
        schedule();
    case SYS_YIELD:
        arch_set_syscall_result(&d->regs, OK, 0);
        schedule();
    case SYS_SLEEP:
        arch_set_syscall_result(&d->regs, OK, 0);
        d->wake_ns = arch_now_ns() + a[0];
        if (d->wake_ns < a[0])
            d->wake_ns = UINT64_MAX;
        d->state = D_SLEEPING;
        schedule();
    default:
        break;
    }
    struct sysret r = num < SYS__COUNT && table[num] ? table[num](d, a) : fail(ERR_NOSYS);
    arch_set_syscall_result(&d->regs, r.err, r.value);
    arch_resume(d);
}

err_t uaccess_copy_in(struct dispatcher *d, void *dst, uvaddr_t src, uint64_t len)
{
    uint8_t *out = dst;
    while (len > 0) {
        paddr_t pa;
        err_t err = arch_vspace_lookup(d, src, false, &pa);
        if (err != OK)
            return err;
        uint64_t in_page = PAGE_SIZE - (src & PAGE_MASK);
        uint64_t n = len < in_page ? len : in_page;
        const uint8_t *from = arch_phys_to_virt(pa);
        for (uint64_t i = 0; i < n; i++)
            out[i] = from[i];
        out += n;
        src += n;
        len -= n;
    }
    return OK;
}
