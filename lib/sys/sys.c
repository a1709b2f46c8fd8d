/* sys.c — the system calls over the architecture's sys_call. */
#include <fmt.h>
#include <stdarg.h>
#include <string.h>
#include <sys.h>

err_t sys_print(const char *buf, size_t len)
{
    return sys_call(SYS_PRINT, (uint64_t)buf, len, 0, 0, 0, 0).err;
}

void sys_yield(void) { (void)sys_call(SYS_YIELD, 0, 0, 0, 0, 0, 0); }

void sys_exit(int status)
{
    (void)sys_call(SYS_EXIT, (uint64_t)(int64_t)status, 0, 0, 0, 0, 0);
    for (;;) /* SYS_EXIT does not return */
        ;
}

unsigned sys_core_id(void) { return (unsigned)sys_call(SYS_CORE_ID, 0, 0, 0, 0, 0, 0).value; }

unsigned sys_core_count(void) { return (unsigned)sys_call(SYS_CORE_COUNT, 0, 0, 0, 0, 0, 0).value; }

void sys_sleep_ns(uint64_t ns) { (void)sys_call(SYS_SLEEP, ns, 0, 0, 0, 0, 0); }

err_t sys_monitor_up(void) { return sys_call(SYS_MONITOR_UP, 0, 0, 0, 0, 0, 0).err; }

void sys_printf(const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    size_t n = fmt_vformat(buf, sizeof buf, fmt, ap);
    va_end(ap);
    (void)sys_print(buf, n < sizeof buf ? n : sizeof buf - 1);
}
