/* syscall_probe.c — makes bad system calls on purpose: each must come back with
 * the right error, and the kernel must go on. Prints one line per check and
 * exits with the number of failed checks. */
#include <sys.h>

#include "probe.h"
#include <sys/arch.h>

static char buf[8192] __attribute__((aligned(4096)));

int main(void)
{
    probe_name = "syscall_probe";
    expect("unknown call number", sys_call(9999, 0, 0, 0, 0, 0, 0).err, ERR_NOSYS);
    expect("call number zero", sys_call(0, 0, 0, 0, 0, 0, 0).err, ERR_NOSYS);
    expect("print from a kernel address", sys_print((const char *)SYS_KERNEL_ADDRESS, 16),
           ERR_FAULT);
    expect("print from an unmapped address", sys_print((const char *)0x1000, 16), ERR_FAULT);
    expect("print from a non-canonical address", sys_print((const char *)0x0000900000000000ull, 16),
           ERR_FAULT);
    expect("print running off the end of the address space",
           sys_call(SYS_PRINT, 0xfffffffffffffff0ull, 64, 0, 0, 0, 0).err, ERR_FAULT);
    expect("print longer than allowed", sys_print(buf, SYS_PRINT_MAX + 1), ERR_INVAL);
    expect("monitor report from a non-monitor", sys_monitor_up(), ERR_PERM);
    buf[0] = 'x';
    buf[1] = '\n';
    expect("a good print still works", sys_print(buf, 2), OK);
    return probe_done();
}
