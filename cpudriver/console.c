/* console.c — line-buffered console output, kprintf and panic (with the
 * backtrace of its caller). */
#include <arch.h>
#include <backtrace.h>
#include <boot.h>
#include <bootinfo.h>
#include <console.h>
#include <fmt.h>
#include <irq.h>
#include <kchan.h>
#include <stdarg.h>

static struct linebuf kernel_line;
static bool panicking;

void console_emit(const char *line, size_t len)
{
    if (klog_put(line, len))
        return; /* the console driver writes it */
    arch_serial_write(line, len);
    arch_serial_write("\n", 1);
}

NORETURN void system_exit(int status)
{
    klog_release();
    arch_system_exit(status);
}

static void send_line(const char *line, size_t len)
{
    if (boot_self()->id == 0)
        console_emit(line, len);
    else
        kchan_send_line(line, len);
}

void linebuf_write(struct linebuf *lb, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\n') {
            send_line(lb->buf, lb->len);
            lb->len = 0;
            continue;
        }
        lb->buf[lb->len++] = s[i];
        if (lb->len == LINEBUF_MAX) {
            send_line(lb->buf, lb->len);
            lb->len = 0;
        }
    }
}

void linebuf_flush(struct linebuf *lb)
{
    if (lb->len > 0) {
        send_line(lb->buf, lb->len);
        lb->len = 0;
    }
}

static void vprint(const char *fmt, va_list ap)
{
    char buf[LINEBUF_MAX];
    size_t n = fmt_vformat(buf, sizeof buf, fmt, ap);
    linebuf_write(&kernel_line, buf, n < sizeof buf ? n : sizeof buf - 1);
}

void kprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vprint(fmt, ap);
    va_end(ap);
}

/* The report, then the backtrace from pc in frame fp (none if pc is 0). */
static NORETURN void vpanic(lvaddr_t pc, lvaddr_t fp, const char *fmt, va_list ap)
{
    if (panicking)
        arch_system_exit(SYSTEM_EXIT_PANIC); /* a panic while reporting one */
    panicking = true;
    linebuf_flush(&kernel_line);
    kprintf("PANIC on core %u: ", boot_self()->id);
    vprint(fmt, ap);
    kprintf("\n");
    if (pc != 0)
        backtrace_kernel("panic:", pc, fp);
    if (boot_self()->id == 0)
        system_exit(SYSTEM_EXIT_PANIC);
    /* Let the boot core print the report and stop the system; if it cannot,
     * stop it from here. */
    kchan_send(KCHAN_PANIC);
    if (!kchan_flush(2000000000ull))
        arch_system_exit(SYSTEM_EXIT_PANIC);
    arch_halt();
}

NORETURN void panic(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    /* Frame 0 is panic itself, so that every later one is a return address. */
    vpanic((lvaddr_t)panic, (lvaddr_t)__builtin_frame_address(0), fmt, ap);
}

NORETURN void panic_after_trap(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vpanic(0, 0, fmt, ap);
}
