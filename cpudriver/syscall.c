/* syscall.c — the system calls, one handler each, through one table indexed by
 * number. Every argument is checked; a bad one is an error return to the caller,
 * never a kernel crash. User memory is read only through uaccess_copy_in. */
#include <arch.h>
#include <boot.h>
#include <bootinfo.h>
#include <cap.h>
#include <device.h>
#include <dispatch.h>
#include <fmt.h>
#include <irq.h>
#include <lmp_sys.h>
#include <string.h>
#include <syscall.h>
#include <syscall_nums.h>

typedef struct sysret_value sysret;
typedef sysret (*syscall_fn)(struct dispatcher *d, const uint64_t a[6]);

static sysret ok(uint64_t v) { return (sysret){OK, v}; }
static sysret fail(err_t e) { return (sysret){e, 0}; }

static sysret sys_print(struct dispatcher *d, const uint64_t a[6])
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

static sysret sys_core_id(struct dispatcher *d, const uint64_t a[6])
{
    (void)d, (void)a;
    return ok(boot_self()->id);
}

static sysret sys_core_count(struct dispatcher *d, const uint64_t a[6])
{
    (void)d, (void)a;
    return ok(boot_info()->core_count);
}

static sysret sys_monitor_up(struct dispatcher *d, const uint64_t a[6])
{
    (void)a;
    if (!d->is_monitor)
        return fail(ERR_PERM);
    dispatch_monitor_up();
    return ok(0);
}

static sysret sys_kernel_start_core(struct dispatcher *d, const uint64_t a[6])
{
    struct cap *k;
    err_t err = cap_get(d, (capaddr_t)a[0], CAP_KERNEL, 0, &k);
    if (err != OK)
        return fail(err);
    if (boot_self()->id != 0 || a[1] == 0 || a[1] >= boot_info()->core_count)
        return fail(ERR_INVAL);
    err = boot_start_core((coreid_t)a[1]);
    return err == OK ? ok(0) : fail(err);
}

static sysret sys_kernel_wake(struct dispatcher *d, const uint64_t a[6])
{
    struct cap *k;
    err_t err = cap_get(d, (capaddr_t)a[0], CAP_KERNEL, 0, &k);
    if (err != OK)
        return fail(err);
    if (a[1] >= boot_info()->core_count)
        return fail(ERR_INVAL);
    if (a[1] == boot_self()->id)
        dispatch_wake_all();
    else
        arch_send_wake((coreid_t)a[1]);
    return ok(0);
}

static sysret sys_cmdline(struct dispatcher *d, const uint64_t a[6])
{
    const char *line = boot_info()->cmdline;
    uint64_t len = 0;
    while (len + 1 < BOOT_CMDLINE_MAX && line[len] != '\0')
        len++;
    if (a[1] < len + 1)
        return fail(ERR_NOSPACE);
    char copy[BOOT_CMDLINE_MAX];
    for (uint64_t i = 0; i < len; i++)
        copy[i] = line[i];
    copy[len] = '\0';
    err_t err = uaccess_copy_out(d, a[0], copy, len + 1);
    return err == OK ? ok(len) : fail(err);
}

static sysret sys_now(struct dispatcher *d, const uint64_t a[6])
{
    (void)d, (void)a;
    return ok(arch_now_ns());
}

/* A monitor starts a domain from a module of the boot archive on its core. */
/* A program from a file rather than the boot archive: frame holds its
 * arguments (a struct spawn_blob) in the first SPAWN_BLOB_MAX bytes and its
 * ELF image after them, up to the frame's end. */
static sysret spawn_from_frame(struct dispatcher *d, const char *name, capaddr_t frame,
                               uint64_t must_be_zero, uint8_t blob[SPAWN_BLOB_MAX],
                               struct spawn_args *args)
{
    struct cap *f;
    err_t err = cap_get(d, frame, CAP_FRAME, CAP_RIGHT_READ, &f);
    if (err == OK && must_be_zero != 0)
        err = ERR_INVAL; /* a frame carries its own arguments */
    if (err == OK && f->size <= SPAWN_BLOB_MAX)
        err = ERR_RANGE;
    if (err != OK)
        return fail(err);
    const uint8_t *mem = arch_phys_to_virt(f->base);
    memcpy(blob, mem, SPAWN_BLOB_MAX);
    uint32_t strings = ((const struct spawn_blob *)blob)->bytes;
    if (strings > SPAWN_BLOB_MAX - sizeof(struct spawn_blob))
        return fail(ERR_INVAL);
    if ((err = spawn_args_parse(blob, sizeof(struct spawn_blob) + strings, args)) != OK)
        return fail(err);
    uint32_t id;
    err =
        spawn_image(name, mem + SPAWN_BLOB_MAX, f->size - SPAWN_BLOB_MAX, false, false, &id, args);
    return err == OK ? ok(id) : fail(err);
}

static sysret sys_kernel_spawn(struct dispatcher *d, const uint64_t a[6])
{
    struct cap *k;
    err_t err = cap_get(d, (capaddr_t)a[0], CAP_KERNEL, 0, &k);
    if (err != OK)
        return fail(err);
    char name[DISPATCHER_NAME_MAX];
    if (a[2] == 0 || a[2] >= sizeof name)
        return fail(ERR_INVAL);
    if ((err = uaccess_copy_in(d, name, a[1], a[2])) != OK)
        return fail(err);
    name[a[2]] = '\0';
    if (strlen(name) != a[2] || strcmp(name, "monitor") == 0)
        return fail(ERR_INVAL);
    /* The arguments, if any: one buffer per core, since a core runs one call
     * at a time, rather than 4 KiB of kernel stack. */
    static uint8_t blob[SPAWN_BLOB_MAX];
    static struct spawn_args args;
    uint32_t id;
    if (a[5] != 0)
        return spawn_from_frame(d, name, (capaddr_t)a[5], a[3] | a[4], blob, &args);
    if (a[4] != 0) {
        if (a[4] > sizeof blob)
            return fail(ERR_RANGE);
        if ((err = uaccess_copy_in(d, blob, a[3], a[4])) != OK ||
            (err = spawn_args_parse(blob, a[4], &args)) != OK)
            return fail(err);
    }
    err = spawn_module(name, false, false, &id, a[4] != 0 ? &args : NULL);
    return err == OK ? ok(id) : fail(err);
}

/* A monitor ends a domain of its core as if by signal (never itself or another
 * monitor); the end is recorded like any other. */
static sysret sys_kernel_kill(struct dispatcher *d, const uint64_t a[6])
{
    struct cap *k;
    err_t err = cap_get(d, (capaddr_t)a[0], CAP_KERNEL, 0, &k);
    if (err != OK)
        return fail(err);
    struct dispatcher *victim = a[1] <= UINT32_MAX ? dispatch_find((uint32_t)a[1]) : NULL;
    if (victim == NULL)
        return fail(ERR_NOENT);
    if (victim == d || victim->is_monitor || a[2] == 0 || a[2] >= 64)
        return fail(ERR_INVAL);
    /* Only a boot domain's end is said here; a process's parent hears of it. */
    char why[24];
    fmt_format(why, sizeof why, "signal %u", (unsigned)a[2]);
    dispatcher_kill(victim, (unsigned)a[2], DEATH_KILLED, 0, victim->boot_domain ? why : NULL);
    return ok(0);
}

static sysret sys_kernel_poweroff(struct dispatcher *d, const uint64_t a[6])
{
    struct cap *k;
    err_t err = cap_get(d, (capaddr_t)a[0], CAP_KERNEL, 0, &k);
    if (err != OK)
        return fail(err);
    if (boot_self()->id != 0 || a[1] > 255)
        return fail(ERR_INVAL);
    boot_poweroff((int)a[1]);
}

/* A read-only frame capability of the whole boot archive (init reads boot.conf
 * and the list of programs from it). */
static sysret sys_kernel_archive(struct dispatcher *d, const uint64_t a[6])
{
    struct cap *k;
    err_t err = cap_get(d, (capaddr_t)a[0], CAP_KERNEL, 0, &k);
    if (err != OK)
        return fail(err);
    const struct boot_info *info = boot_info();
    if (info->archive_phys & PAGE_MASK)
        return fail(ERR_RANGE);
    struct cap c = {.type = CAP_FRAME,
                    .rights = CAP_RIGHT_READ | CAP_RIGHT_GRANT,
                    .base = info->archive_phys,
                    .size = ALIGN_UP(info->archive_size, PAGE_SIZE)};
    err = cap_install(d, (capaddr_t)a[1], &c);
    return err == OK ? ok(info->archive_size) : fail(err);
}

/* A monitor learns the device register pages the boot found, to make DevFrame
 * capabilities of them for drivers. */
static sysret sys_kernel_device(struct dispatcher *d, const uint64_t a[6])
{
    struct cap *k;
    err_t err = cap_get(d, (capaddr_t)a[0], CAP_KERNEL, 0, &k);
    if (err != OK)
        return fail(err);
    paddr_t base;
    const char *name;
    if (a[1] > 0xffff || !arch_device_page((unsigned)a[1], &base, &name))
        return fail(ERR_NOENT);
    size_t len = strlen(name);
    if (a[3] < len + 1)
        return fail(ERR_NOSPACE);
    err = uaccess_copy_out(d, a[2], name, len + 1);
    return err == OK ? ok(base) : fail(err);
}

/* A monitor asks whether memory it handed out (a channel frame) is still held
 * by any other domain of this core before it reuses it. */
static sysret sys_kernel_held(struct dispatcher *d, const uint64_t a[6])
{
    struct cap *k;
    err_t err = cap_get(d, (capaddr_t)a[0], CAP_KERNEL, 0, &k);
    if (err != OK)
        return fail(err);
    if (a[2] == 0 || a[1] + a[2] < a[1])
        return fail(ERR_INVAL);
    return ok(dispatch_memory_held(d, a[1], a[2]) ? 1 : 0);
}

/* Calls that give up the core are handled in syscall_dispatch itself. */
static const syscall_fn table[SYS__COUNT] = {
    [SYS_PRINT] = sys_print,
    [SYS_CORE_ID] = sys_core_id,
    [SYS_CORE_COUNT] = sys_core_count,
    [SYS_MONITOR_UP] = sys_monitor_up,
    [SYS_CAP_IDENTIFY] = cap_sys_identify,
    [SYS_CAP_COPY] = cap_sys_copy,
    [SYS_CAP_DELETE] = cap_sys_delete,
    [SYS_CAP_REVOKE] = cap_sys_revoke,
    [SYS_CAP_RETYPE] = cap_sys_retype,
    [SYS_CAP_RESTRICT] = cap_sys_restrict,
    [SYS_DEVFRAME_PART] = cap_sys_devframe_part,
    [SYS_FRAME_MAP] = cap_sys_frame_map,
    [SYS_KERNEL_MINT] = cap_sys_kernel_mint,
    [SYS_KERNEL_START_CORE] = sys_kernel_start_core,
    [SYS_KERNEL_WAKE] = sys_kernel_wake,
    [SYS_CMDLINE] = sys_cmdline,
    [SYS_NOW] = sys_now,
    [SYS_CHAN_WAKE] = cap_sys_chan_wake,
    [SYS_KERNEL_SPAWN] = sys_kernel_spawn,
    [SYS_KERNEL_DEVICE] = sys_kernel_device,
    [SYS_KERNEL_REAP] = deaths_sys_reap,
    [SYS_KERNEL_KILL] = sys_kernel_kill,
    [SYS_KERNEL_POWEROFF] = sys_kernel_poweroff,
    [SYS_KERNEL_ARCHIVE] = sys_kernel_archive,
    [SYS_KERNEL_CONSOLE] = device_sys_console,
    [SYS_KERNEL_BUS] = device_sys_bus,
    [SYS_IO_IN] = device_sys_io_in,
    [SYS_IO_OUT] = device_sys_io_out,
    [SYS_IRQ_BIND] = irq_sys_bind,
    [SYS_IRQ_ACK] = irq_sys_ack,
    [SYS_KLOG_BIND] = klog_sys_bind,
    [SYS_KLOG_READ] = klog_sys_read,
    [SYS_KERNEL_HELD] = sys_kernel_held,
    [SYS_CSPACE_ADD] = cspace_sys_add,
    [SYS_KERNEL_EXPORT] = cap_sys_kernel_export,
    [SYS_KERNEL_REVOKING] = cspace_sys_kernel_revoking,
    [SYS_KERNEL_IRQ] = irq_sys_kernel,
    [SYS_FRAME_COPY] = cap_sys_frame_copy,
    [SYS_ALARM] = alarm_sys_set,
    [SYS_KERNEL_FAULT_TARGET] = debug_sys_kernel_target,
    [SYS_DEBUG_WRITE] = debug_sys_write,
};

NORETURN void syscall_dispatch(struct dispatcher *d, uint64_t num, const uint64_t a[6])
{
    switch (num) {
    case SYS_LMP_SEND:
        lmp_sys_send(d, a);
    case SYS_LMP_RECV:
        lmp_sys_recv(d, a);
    case SYS_LMP_CALL:
        lmp_sys_call(d, a);
    case SYS_LMP_REPLY:
        lmp_sys_reply(d, a);
    case SYS_LMP_REPLY_RECV:
        lmp_sys_reply_recv(d, a);
    case SYS_LMP_NOTIFY:
        lmp_sys_notify(d, a);
    case SYS_EP_MINT:
        lmp_sys_ep_mint(d, a);
    case SYS_EXIT:
        dispatcher_exit(d, (int)a[0]);
        schedule();
    case SYS_YIELD:
        arch_set_syscall_result(&d->regs, OK, 0);
        schedule();
    case SYS_SLEEP:
    case SYS_WAIT:
        arch_set_syscall_result(&d->regs, OK, 0);
        if (num == SYS_WAIT && d->wake_pending) {
            d->wake_pending = false; /* woken before it waited: do not block */
            arch_resume(d);
        }
        d->wake_ns = arch_now_ns() + a[0];
        if (d->wake_ns < a[0])
            d->wake_ns = UINT64_MAX;
        d->state = num == SYS_WAIT ? D_WAITING : D_SLEEPING;
        schedule();
    default:
        break;
    }
    sysret r = num < SYS__COUNT && table[num] ? table[num](d, a) : fail(ERR_NOSYS);
    arch_set_syscall_result(&d->regs, r.err, r.value);
    arch_resume(d);
}

err_t uaccess_copy_out(struct dispatcher *d, uvaddr_t dst, const void *src, uint64_t len)
{
    const uint8_t *in = src;
    while (len > 0) {
        paddr_t pa;
        err_t err = arch_vspace_lookup(d, dst, true, &pa);
        if (err != OK)
            return err;
        uint64_t in_page = PAGE_SIZE - (dst & PAGE_MASK);
        uint64_t n = len < in_page ? len : in_page;
        uint8_t *to = arch_phys_to_virt(pa);
        for (uint64_t i = 0; i < n; i++)
            to[i] = in[i];
        in += n;
        dst += n;
        len -= n;
    }
    return OK;
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
