/* trap.c — exceptions and interrupts. A fault in user mode is reported in full
 * and ends that domain only; a fault in the kernel is a panic with the same
 * report. Interrupts: the timer (tick, preemption, the boot core's channel
 * polling) and the wake-up IPI. */
#include <arch.h>
#include <arch/regs.h>
#include <backtrace.h>
#include <bootinfo.h>
#include <dispatch.h>
#include <fmt.h>
#include <kchan.h>
#include <syscall.h>

#include "x86.h"

static const char *const exception_names[32] = {
    "divide error",
    "debug",
    "NMI",
    "breakpoint",
    "overflow",
    "bound range exceeded",
    "invalid opcode",
    "no FPU",
    "double fault",
    "FPU overrun",
    "invalid TSS",
    "segment not present",
    "stack fault",
    "general protection fault",
    "page fault",
    "reserved 15",
    "x87 error",
    "alignment check",
    "machine check",
    "SIMD error",
    "virtualization exception",
    "control protection exception",
};

static const char *exception_name(uint64_t v)
{
    const char *n = v < 32 ? exception_names[v] : NULL;
    return n ? n : "reserved exception";
}

/* The POSIX signal a fault in user mode ends the domain with. */
static unsigned exception_signal(uint64_t v)
{
    switch (v) {
    case 0:  /* divide error */
    case 16: /* x87 FPU error */
    case 19: /* SIMD floating-point */
        return SIG_FPE;
    case 6: /* invalid opcode */
        return SIG_ILL;
    case 17: /* alignment check */
        return SIG_BUS;
    default:
        return SIG_SEGV;
    }
}

/* The portable cause (proc_abi.h) a fault in user mode is reported with. */
static enum death_cause exception_cause(uint64_t v)
{
    switch (v) {
    case 0:  /* divide error */
    case 4:  /* overflow */
    case 16: /* x87 FPU error */
    case 19: /* SIMD floating-point */
        return DEATH_ARITHMETIC;
    case 1: /* debug */
    case 3: /* breakpoint */
        return DEATH_BREAKPOINT;
    case 6: /* invalid opcode */
    case 7: /* no FPU */
        return DEATH_ILLEGAL;
    case 5:  /* bound range exceeded */
    case 11: /* segment not present */
    case 12: /* stack fault */
    case 13: /* general protection */
    case 21: /* control protection */
        return DEATH_PROTECTION;
    case 14:
        return DEATH_PAGE_FAULT;
    case 17: /* alignment check */
        return DEATH_MISALIGNED;
    default:
        return DEATH_OTHER_FAULT;
    }
}

static void report(const struct regs *f, const char *who)
{
    coreid_t core = boot_self()->id;
    if (f->vector == 14)
        kprintf("trap: %s on core %u in %s: error 0x%lx, rip 0x%lx, cr2 0x%lx\n",
                exception_name(f->vector), core, who, (unsigned long)f->error,
                (unsigned long)f->rip, (unsigned long)x86_read_cr2());
    else
        kprintf("trap: %s on core %u in %s: vector %lu, error 0x%lx, rip 0x%lx\n",
                exception_name(f->vector), core, who, (unsigned long)f->vector,
                (unsigned long)f->error, (unsigned long)f->rip);
    kprintf("trap:   rax %016lx rbx %016lx rcx %016lx rdx %016lx\n", f->rax, f->rbx, f->rcx,
            f->rdx);
    kprintf("trap:   rsi %016lx rdi %016lx rbp %016lx rsp %016lx\n", f->rsi, f->rdi, f->rbp,
            f->rsp);
    kprintf("trap:   r8  %016lx r9  %016lx r10 %016lx r11 %016lx\n", f->r8, f->r9, f->r10, f->r11);
    kprintf("trap:   r12 %016lx r13 %016lx r14 %016lx r15 %016lx\n", f->r12, f->r13, f->r14,
            f->r15);
    kprintf("trap:   rflags %08lx cs %02lx ss %02lx\n", f->rflags, f->cs, f->ss);
}

void x86_trap(struct regs *f)
{
    bool from_user = (f->cs & 3) == 3;
    struct dispatcher *d = from_user ? dispatch_current() : NULL;
    if (d != NULL)
        d->regs = *f;

    if (f->vector < 32) {
        if (d == NULL) {
            report(f, "the kernel");
            backtrace_kernel("trap:  ", f->rip, f->rbp);
            panic_after_trap("%s in the kernel", exception_name(f->vector));
        }
        char who[DISPATCHER_NAME_MAX + 8];
        fmt_format(who, sizeof who, "domain %s", d->name);
        report(f, who);
        uint8_t code[8];
        if (uaccess_copy_in(d, code, f->rip, sizeof code) == OK)
            kprintf("trap:   code at rip: %02x %02x %02x %02x %02x %02x %02x %02x\n", code[0],
                    code[1], code[2], code[3], code[4], code[5], code[6], code[7]);
        backtrace_user("trap:  ", d, f->rip, f->rbp);
        uint64_t addr = f->vector == 14 ? x86_read_cr2() : f->rip;
        dispatcher_kill(d, exception_signal(f->vector), exception_cause(f->vector), addr,
                        exception_name(f->vector));
        schedule();
    }

    if (f->vector >= VEC_IRQ_BASE && f->vector < VEC_IRQ_END) {
        ioapic_interrupt((unsigned)(f->vector - VEC_IRQ_BASE));
        if (d != NULL)
            schedule(); /* let the driver it notified run soon */
        return;
    }
    switch (f->vector) {
    case VEC_TIMER:
        lapic_eoi();
        dispatch_tick();
        if (boot_self()->id == 0)
            kchan_poll();
        if (d != NULL)
            schedule(); /* preempt: round-robin to the next runnable one */
        return;
    case VEC_WAKE:
        lapic_eoi();
        dispatch_wake_all();
        if (d != NULL)
            schedule();
        return;
    case VEC_SPURIOUS:
        break; /* no EOI for spurious interrupts */
    default:
        lapic_eoi();
        break;
    }
    if (d != NULL)
        arch_resume(d);
}
