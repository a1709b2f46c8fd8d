/* trap.c — traps on RISC-V. A fault in user mode is reported in full (scause,
 * sepc, stval, registers, hart) and ends that domain only; in the kernel it is a
 * panic with the same report. Interrupts: the timer tick and the software IPI. */
#include <arch.h>
#include <arch/regs.h>
#include <backtrace.h>
#include <bootinfo.h>
#include <dispatch.h>
#include <fmt.h>
#include <kchan.h>
#include <syscall.h>

#include "riscv.h"

#define CAUSE_INTERRUPT (1ull << 63)
#define IRQ_S_SOFT      1
#define IRQ_S_TIMER     5
#define IRQ_S_EXTERNAL  9
#define EXC_ECALL_U     8

void riscv_timer_rearm(void);

static const char *const exception_names[16] = {
    "instruction address misaligned",
    "instruction access fault",
    "illegal instruction",
    "breakpoint",
    "load address misaligned",
    "load access fault",
    "store address misaligned",
    "store access fault",
    "environment call from U-mode",
    "environment call from S-mode",
    "reserved 10",
    "reserved 11",
    "instruction page fault",
    "load page fault",
    "reserved 14",
    "store page fault",
};

/* The POSIX signal a fault in user mode ends the domain with. */
static unsigned exception_signal(uint64_t cause)
{
    if (cause == 2) /* illegal instruction */
        return SIG_ILL;
    if (cause == 0 || cause == 4 || cause == 6) /* misaligned fetch, load, store */
        return SIG_BUS;
    return SIG_SEGV;
}

/* The portable cause (proc_abi.h) a fault in user mode is reported with. */
static enum death_cause exception_cause(uint64_t cause)
{
    switch (cause) {
    case 0: /* instruction address misaligned */
    case 4: /* load address misaligned */
    case 6: /* store address misaligned */
        return DEATH_MISALIGNED;
    case 1: /* instruction access fault */
    case 5: /* load access fault */
    case 7: /* store access fault */
        return DEATH_PROTECTION;
    case 2:
        return DEATH_ILLEGAL;
    case 3:
        return DEATH_BREAKPOINT;
    case 12: /* instruction page fault */
    case 13: /* load page fault */
    case 15: /* store page fault */
        return DEATH_PAGE_FAULT;
    default:
        return DEATH_OTHER_FAULT;
    }
}

static const char *exception_name(uint64_t cause)
{
    return cause < 16 ? exception_names[cause] : "reserved exception";
}

static const char *const reg_names[32] = {
    "zero", "ra", "sp", "gp", "tp",  "t0",  "t1", "t2", "s0", "s1", "a0",
    "a1",   "a2", "a3", "a4", "a5",  "a6",  "a7", "s2", "s3", "s4", "s5",
    "s6",   "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
};

static void report(const struct regs *f, const char *who)
{
    const struct core_boot *self = boot_self();
    kprintf("trap: %s on core %u (hart %u) in %s: scause 0x%lx, sepc 0x%lx, stval 0x%lx\n",
            exception_name(f->scause), self->id, self->hw_id, who, (unsigned long)f->scause,
            (unsigned long)f->sepc, (unsigned long)f->stval);
    for (unsigned i = 1; i < 32; i += 4) {
        char line[128];
        size_t n = 0;
        for (unsigned k = i; k < i + 4 && k < 32; k++)
            n += fmt_format(line + n, sizeof line - n, "%s%-4s %016lx", k == i ? "" : " ",
                            reg_names[k], (unsigned long)f->x[k]);
        kprintf("trap:   %s\n", line);
    }
}

void riscv_trap(struct regs *f)
{
    bool from_user = !(f->sstatus & SSTATUS_SPP);
    struct dispatcher *d = from_user ? dispatch_current() : NULL;
    if (d != NULL)
        d->regs = *f;

    if (f->scause & CAUSE_INTERRUPT) {
        switch (f->scause & ~CAUSE_INTERRUPT) {
        case IRQ_S_TIMER:
            riscv_timer_rearm();
            dispatch_tick();
            if (boot_self()->id == 0)
                kchan_poll();
            if (d != NULL)
                schedule();
            return;
        case IRQ_S_EXTERNAL: /* a device, through the PLIC */
            plic_interrupt();
            if (d != NULL)
                schedule(); /* let the driver it notified run soon */
            return;
        case IRQ_S_SOFT: /* a wake-up from another core */
            csr_clear(sip, SIP_SSIP);
            dispatch_wake_all();
            if (d != NULL)
                schedule();
            return;
        default:
            break;
        }
        if (d != NULL)
            arch_resume(d);
        return;
    }

    if (d == NULL) {
        report(f, "the kernel");
        backtrace_kernel("trap:  ", f->sepc, f->x[REG_FP]);
        panic_after_trap("%s in the kernel", exception_name(f->scause));
    }
    if (f->scause == EXC_ECALL_U) {
        d->regs.sepc += 4;
        const uint64_t *x = d->regs.x;
        uint64_t args[6] = {x[10], x[11], x[12], x[13], x[14], x[15]};
        syscall_dispatch(d, x[REG_A7], args);
    }
    char who[DISPATCHER_NAME_MAX + 8];
    fmt_format(who, sizeof who, "domain %s", d->name);
    report(f, who);
    backtrace_user("trap:  ", d, f->sepc, f->x[REG_FP]);
    enum death_cause cause = exception_cause(f->scause);
    uint64_t addr = cause == DEATH_PAGE_FAULT ? f->stval : f->sepc;
    dispatcher_kill(d, exception_signal(f->scause), cause, addr, exception_name(f->scause));
    schedule();
}
