/* syscall_probe.c — makes bad system calls on purpose: each must come back with
 * the right error, and the kernel must go on. Prints one line per check and
 * exits with the number of failed checks. */
#include <lmp.h>
#include <lmp_abi.h>
#include <sys.h>

#include "probe.h"
#include <sys/arch.h>

static char buf[8192] __attribute__((aligned(4096)));

/* The kernel's frame copy (frame_read, frame_write): a server reads grants
 * with it, so every bad argument must be an error, not a fault. */
static void frame_copy_checks(void)
{
    static char small[64];
    capaddr_t frame = 60, empty = 61; /* slots of no other use in this domain */
    expect("a 4 KiB frame to copy with", cap_retype(CAP_SLOT_RAM, frame, CAP_FRAME, 4096, NULL),
           OK);
    expect("frame write", frame_write(frame, 4000, "hello", 6), OK);
    expect("frame read back", frame_read(frame, 4000, small, 6), OK);
    expect("what was written is read", small[0] == 'h' && small[5] == '\0' ? OK : ERR_INVAL, OK);
    expect("a copy past the frame's end", frame_read(frame, 4092, small, 8), ERR_RANGE);
    expect("an offset past the end", frame_read(frame, 1ull << 62, small, 1), ERR_RANGE);
    expect("a copy into a kernel address", frame_read(frame, 0, (void *)SYS_KERNEL_ADDRESS, 16),
           ERR_FAULT);
    expect("a copy from an unmapped address", frame_write(frame, 0, (const void *)0x1000, 16),
           ERR_FAULT);
    expect("a copy from an empty slot", frame_read(empty, 0, small, 1), ERR_NOENT);
    expect("a copy from RAM, not a frame", frame_read(CAP_SLOT_RAM, 0, small, 1), ERR_PERM);
    expect("a copy of more than 1 MiB at once",
           sys_call(SYS_FRAME_COPY, frame, 0, (uint64_t)(uintptr_t)small, (1u << 20) + 1, 0, 0).err,
           ERR_INVAL);
    (void)cap_delete(frame);
    expect("a copy from a frame deleted", frame_read(frame, 0, small, 1), ERR_NOENT);
}

/* LMP calls that could only wait for the caller itself, or were told not to
 * wait: each returns at once (a wait here would hang the probe for good). */
static void lmp_checks(void)
{
    capaddr_t self = 62; /* a slot of no other use in this domain */
    expect("an endpoint to itself", ep_mint(7, self), OK);
    expect("a blocking send to itself", sys_call(SYS_LMP_SEND, self, 0, 0, 0, 0, 0).err, ERR_INVAL);
    expect("a non-blocking send to itself",
           sys_call(SYS_LMP_SEND, self, 0, LMP_NONBLOCK, 0, 0, 0).err, ERR_WOULDBLOCK);
    expect("a non-blocking reply-and-receive with nothing to take",
           sys_call(SYS_LMP_REPLY_RECV, 0, 0, LMP_ANY, LMP_NONBLOCK, 0, 0).err, ERR_WOULDBLOCK);
    expect("a notification to itself", sys_call(SYS_LMP_NOTIFY, self, 4, 0, 0, 0, 0).err, OK);
    expect("a non-blocking reply-and-receive takes it",
           sys_call(SYS_LMP_REPLY_RECV, 0, 0, LMP_ANY, LMP_NONBLOCK, 0, 0).err, OK);
    (void)cap_delete(self);
}

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
    frame_copy_checks();
    lmp_checks();
    expect("an alarm with no bits", sys_alarm(sys_now_ns() + 1000000000ull, 0), ERR_INVAL);
    expect("an alarm at the end of time with no bits", sys_alarm(UINT64_MAX, 0), ERR_INVAL);
    expect("an alarm at the end of time", sys_alarm(UINT64_MAX, 1), OK);
    expect("a cancel, whatever its bits", sys_alarm(0, 0), OK);
    buf[0] = 'x';
    buf[1] = '\n';
    expect("a good print still works", sys_print(buf, 2), OK);
    return probe_done();
}
