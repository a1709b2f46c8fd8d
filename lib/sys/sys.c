/* sys.c — the system calls over the architecture's sys_call. */
#include <fmt.h>
#include <lmp.h>
#include <ns_calls.h>
#include <stdarg.h>
#include <string.h>
#include <sys.h>

err_t sys_print(const char *buf, size_t len)
{
    return sys_call(SYS_PRINT, (uint64_t)buf, len, 0, 0, 0, 0).err;
}

void sys_yield(void) { (void)sys_call(SYS_YIELD, 0, 0, 0, 0, 0, 0); }

/* How crt0 ends a program; the newlib layer (lib/posix) replaces it with exit(). */
__attribute__((weak, noreturn)) void __crt_exit(int status);
void __crt_exit(int status) { sys_exit(status); }

void sys_exit(int status)
{
    (void)sys_call(SYS_EXIT, (uint64_t)(int64_t)status, 0, 0, 0, 0, 0);
    for (;;) /* SYS_EXIT does not return */
        ;
}

unsigned sys_core_id(void) { return (unsigned)sys_call(SYS_CORE_ID, 0, 0, 0, 0, 0, 0).value; }

unsigned sys_core_count(void) { return (unsigned)sys_call(SYS_CORE_COUNT, 0, 0, 0, 0, 0, 0).value; }

uint64_t sys_now_ns(void) { return sys_call(SYS_NOW, 0, 0, 0, 0, 0, 0).value; }

void sys_sleep_ns(uint64_t ns) { (void)sys_call(SYS_SLEEP, ns, 0, 0, 0, 0, 0); }

err_t sys_alarm(uint64_t at_ns, uint64_t bits)
{
    return sys_call(SYS_ALARM, at_ns, bits, 0, 0, 0, 0).err;
}

err_t sys_monitor_up(void) { return sys_call(SYS_MONITOR_UP, 0, 0, 0, 0, 0, 0).err; }

err_t cap_identify(capaddr_t slot, struct cap_info *info)
{
    return sys_call(SYS_CAP_IDENTIFY, slot, (uint64_t)info, 0, 0, 0, 0).err;
}

err_t cap_copy(capaddr_t from, capaddr_t to, uint32_t rights)
{
    return sys_call(SYS_CAP_COPY, from, to, rights, 0, 0, 0).err;
}

err_t cap_delete(capaddr_t slot) { return sys_call(SYS_CAP_DELETE, slot, 0, 0, 0, 0, 0).err; }

err_t cap_revoke(capaddr_t slot)
{
    err_t err = sys_call(SYS_CAP_REVOKE, slot, 0, 0, 0, 0, 0).err;
    if (err != ERR_REMOTE)
        return err;
    /* Some of it is on other cores: the monitor takes it back, then the
     * revoke goes through here. */
    if ((err = ns_revoke_wait(NULL, NULL, 0, 0)) == OK)
        err = sys_call(SYS_CAP_REVOKE, slot, 0, 0, 0, 0, 0).err;
    return err;
}

err_t kernel_export(capaddr_t kernel, capaddr_t frame)
{
    return sys_call(SYS_KERNEL_EXPORT, kernel, frame, 0, 0, 0, 0).err;
}

err_t kernel_revoking(capaddr_t kernel, capaddr_t from, capaddr_t *slot)
{
    struct sys_result r = sys_call(SYS_KERNEL_REVOKING, kernel, from, 0, 0, 0, 0);
    *slot = r.err == OK ? (capaddr_t)r.value : 0;
    return r.err;
}

err_t cap_restrict(capaddr_t slot, uint32_t rights)
{
    return sys_call(SYS_CAP_RESTRICT, slot, rights, 0, 0, 0, 0).err;
}

err_t cap_retype(capaddr_t ram, capaddr_t to, enum cap_type type, uint64_t bytes, uint64_t *phys)
{
    struct sys_result r = sys_call(SYS_CAP_RETYPE, ram, to, (uint64_t)type, bytes, phys != NULL, 0);
    if (r.err == OK && phys != NULL)
        *phys = r.value;
    return r.err;
}

err_t frame_read(capaddr_t frame, uint64_t offset, void *buf, uint64_t bytes)
{
    return sys_call(SYS_FRAME_COPY, frame, offset, (uint64_t)(uintptr_t)buf, bytes, 0, 0).err;
}

err_t frame_write(capaddr_t frame, uint64_t offset, const void *buf, uint64_t bytes)
{
    return sys_call(SYS_FRAME_COPY, frame, offset, (uint64_t)(uintptr_t)buf, bytes, 1, 0).err;
}

err_t frame_map(capaddr_t frame, uintptr_t va, int writable)
{
    return sys_call(SYS_FRAME_MAP, frame, va, (uint64_t)writable, 0, 0, 0).err;
}

err_t devframe_part(capaddr_t devframe, capaddr_t to, uint64_t offset, uint64_t bytes)
{
    return sys_call(SYS_DEVFRAME_PART, devframe, to, offset, bytes, 0, 0).err;
}

err_t kernel_mint_ram(capaddr_t kernel, capaddr_t to, uint64_t phys, uint64_t bytes)
{
    return sys_call(SYS_KERNEL_MINT, kernel, to, CAP_RAM, phys, bytes, 0).err;
}

err_t kernel_mint_frame(capaddr_t kernel, capaddr_t to, uint64_t phys, uint64_t bytes)
{
    return sys_call(SYS_KERNEL_MINT, kernel, to, CAP_FRAME, phys, bytes, 0).err;
}

err_t kernel_mint_channel(capaddr_t kernel, capaddr_t to, uint64_t phys, uint64_t bytes,
                          unsigned wake_core)
{
    return sys_call(SYS_KERNEL_MINT, kernel, to, CAP_FRAME, phys, bytes, wake_core + 1ull).err;
}

err_t kernel_device(capaddr_t kernel, unsigned index, uint64_t *phys, char *name, size_t cap)
{
    struct sys_result r = sys_call(SYS_KERNEL_DEVICE, kernel, index, (uint64_t)name, cap, 0, 0);
    if (r.err == OK)
        *phys = r.value;
    return r.err;
}

err_t kernel_mint_device(capaddr_t kernel, capaddr_t to, uint64_t phys, uint64_t bytes)
{
    return sys_call(SYS_KERNEL_MINT, kernel, to, CAP_DEVFRAME, phys, bytes, 0).err;
}

err_t kernel_mint_irq(capaddr_t kernel, capaddr_t to, unsigned irq)
{
    return sys_call(SYS_KERNEL_MINT, kernel, to, CAP_IRQ, irq, 0, 0).err;
}

err_t kernel_spawn(capaddr_t kernel, const char *module, const void *blob, size_t blob_bytes,
                   uint32_t *id)
{
    struct sys_result r = sys_call(SYS_KERNEL_SPAWN, kernel, (uint64_t)module, strlen(module),
                                   (uint64_t)blob, blob_bytes, 0);
    if (r.err == OK && id != NULL)
        *id = (uint32_t)r.value;
    return r.err;
}

err_t kernel_spawn_frame(capaddr_t kernel, const char *module, capaddr_t frame, uint32_t *id)
{
    struct sys_result r =
        sys_call(SYS_KERNEL_SPAWN, kernel, (uint64_t)module, strlen(module), 0, 0, frame);
    if (r.err == OK && id != NULL)
        *id = (uint32_t)r.value;
    return r.err;
}

err_t kernel_reap(capaddr_t kernel, struct death_record *out, unsigned max, unsigned *count)
{
    struct sys_result r = sys_call(SYS_KERNEL_REAP, kernel, (uint64_t)out, max, 0, 0, 0);
    *count = r.err == OK ? (unsigned)r.value : 0;
    return r.err;
}

err_t kernel_kill(capaddr_t kernel, uint32_t domain, unsigned signal)
{
    return sys_call(SYS_KERNEL_KILL, kernel, domain, signal, 0, 0, 0).err;
}

err_t kernel_poweroff(capaddr_t kernel, int status)
{
    return sys_call(SYS_KERNEL_POWEROFF, kernel, (uint64_t)status, 0, 0, 0, 0).err;
}

err_t kernel_archive(capaddr_t kernel, capaddr_t to, uint64_t *bytes)
{
    struct sys_result r = sys_call(SYS_KERNEL_ARCHIVE, kernel, to, 0, 0, 0, 0);
    *bytes = r.value;
    return r.err;
}

err_t kernel_bus(capaddr_t kernel, unsigned index, struct bus_region *out)
{
    return sys_call(SYS_KERNEL_BUS, kernel, index, (uint64_t)out, 0, 0, 0).err;
}

err_t kernel_console(capaddr_t kernel, struct console_device *out)
{
    return sys_call(SYS_KERNEL_CONSOLE, kernel, (uint64_t)out, 0, 0, 0, 0).err;
}

err_t kernel_mint_ioport(capaddr_t kernel, capaddr_t to, unsigned base, unsigned count)
{
    return sys_call(SYS_KERNEL_MINT, kernel, to, CAP_IOPORT, base, count, 0).err;
}

err_t kernel_mint_klog(capaddr_t kernel, capaddr_t to)
{
    return sys_call(SYS_KERNEL_MINT, kernel, to, CAP_KLOG, 0, 0, 0).err;
}

err_t kernel_mint_debug(capaddr_t kernel, capaddr_t to)
{
    return sys_call(SYS_KERNEL_MINT, kernel, to, CAP_DEBUG, 0, 0, 0).err;
}

err_t kernel_fault_target(capaddr_t kernel, uint32_t domain)
{
    return sys_call(SYS_KERNEL_FAULT_TARGET, kernel, domain, 0, 0, 0, 0).err;
}

err_t debug_write(capaddr_t debug, uint32_t domain, uint64_t va, const void *buf, size_t bytes)
{
    return sys_call(SYS_DEBUG_WRITE, debug, domain, va, (uint64_t)(uintptr_t)buf, bytes, 0).err;
}

err_t kernel_held(capaddr_t kernel, uint64_t phys, uint64_t bytes, bool *held)
{
    struct sys_result r = sys_call(SYS_KERNEL_HELD, kernel, phys, bytes, 0, 0, 0);
    *held = r.err != OK || r.value != 0; /* when in doubt, it is held */
    return r.err;
}

err_t io_in(capaddr_t ioport, unsigned port, unsigned width, uint32_t *value)
{
    struct sys_result r = sys_call(SYS_IO_IN, ioport, port, width, 0, 0, 0);
    *value = (uint32_t)r.value;
    return r.err;
}

err_t io_out(capaddr_t ioport, unsigned port, unsigned width, uint32_t value)
{
    return sys_call(SYS_IO_OUT, ioport, port, width, value, 0, 0).err;
}

/* Binding is this core's CPU driver's; which core the line reaches is the
 * shared controller's, which only core 0 programs: the monitors ask it. */
err_t irq_bind(capaddr_t irq, capaddr_t ep, uint64_t bits)
{
    err_t err = sys_call(SYS_IRQ_BIND, irq, ep, bits, 0, 0, 0).err;
    if (err != OK)
        return err;
    struct ns_irq q = {.route = bits != 0};
    err = ns_irq(&q, NULL, irq, 0);
    if (err != OK && bits != 0)
        (void)sys_call(SYS_IRQ_BIND, irq, 0, 0, 0, 0, 0); /* not routed: not bound */
    return err;
}

err_t kernel_irq(capaddr_t kernel, unsigned op, unsigned line, unsigned core)
{
    return sys_call(SYS_KERNEL_IRQ, kernel, op, line, core, 0, 0).err;
}

err_t irq_ack(capaddr_t irq) { return sys_call(SYS_IRQ_ACK, irq, 0, 0, 0, 0, 0).err; }

err_t klog_bind(capaddr_t klog, capaddr_t ep, uint64_t bits)
{
    return sys_call(SYS_KLOG_BIND, klog, ep, bits, 0, 0, 0).err;
}

err_t klog_read(capaddr_t klog, char *buf, size_t cap, size_t *got)
{
    struct sys_result r = sys_call(SYS_KLOG_READ, klog, (uint64_t)buf, cap, 0, 0, 0);
    *got = r.err == OK ? (size_t)r.value : 0;
    return r.err;
}

err_t chan_wake(capaddr_t frame) { return sys_call(SYS_CHAN_WAKE, frame, 0, 0, 0, 0, 0).err; }

err_t kernel_start_core(capaddr_t kernel, unsigned core)
{
    return sys_call(SYS_KERNEL_START_CORE, kernel, core, 0, 0, 0, 0).err;
}

err_t kernel_wake(capaddr_t kernel, unsigned core)
{
    return sys_call(SYS_KERNEL_WAKE, kernel, core, 0, 0, 0, 0).err;
}

void sys_wait_ns(uint64_t ns) { (void)sys_call(SYS_WAIT, ns, 0, 0, 0, 0, 0); }

struct sys_result sys_cmdline(char *buf, size_t cap)
{
    return sys_call(SYS_CMDLINE, (uint64_t)buf, cap, 0, 0, 0, 0);
}

void sys_vprintf(const char *fmt, va_list ap)
{
    char buf[256];
    size_t n = fmt_vformat(buf, sizeof buf, fmt, ap);
    (void)sys_print(buf, n < sizeof buf ? n : sizeof buf - 1);
}

void sys_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sys_vprintf(fmt, ap);
    va_end(ap);
}

err_t cspace_add_cnode(capaddr_t cnode, unsigned index, capaddr_t *first)
{
    struct sys_result r = sys_call(SYS_CSPACE_ADD, cnode, index, 0, 0, 0, 0);
    if (r.err == OK && first != NULL)
        *first = (capaddr_t)r.value;
    return r.err;
}
