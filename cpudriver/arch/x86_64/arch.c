/* arch.c — the x86-64 side of the arch interface that is not big enough for a
 * file of its own: core start-up, time, and entering user mode. */
#include <arch.h>
#include <arch/layout.h>
#include <arch/regs.h>
#include <boot.h>
#include <dispatch.h>
#include <syscall.h>

#include "x86.h"

void *arch_phys_to_virt(paddr_t p) { return (void *)(DIRECT_VBASE + p); }

/* Every core's first C, on its own tables and stack (entry.S). */
NORETURN void x86_core_entry(const struct core_boot *cb) { kernel_main(cb); }

void arch_core_init(void)
{
    x86_cpu_init();
    if (boot_self()->id == 0) {
        serial_init();
        pic_disable();
    }
    lapic_init();
    if (boot_self()->id != 0)
        smp_core_started(boot_self()->id);
}

void arch_boot_core_discover(void)
{
    struct boot_info *info = boot_info_early();
    acpi_discover(info);
    ioapic_init(info);
    lapic_calibrate(&info->timer_hz, &info->arch.tsc_hz);
    kprintf("boot: %u cores in the ACPI MADT; %s; LAPIC timer %lu kHz, TSC %lu MHz\n",
            info->core_count, lapic_x2apic() ? "x2APIC" : "xAPIC",
            (unsigned long)(info->timer_hz / 1000), (unsigned long)(info->arch.tsc_hz / 1000000));
}

void arch_kernel_stack(lvaddr_t *lo, lvaddr_t *hi)
{
    extern char x86_kstack[], x86_kstack_top[];
    *lo = (lvaddr_t)x86_kstack;
    *hi = (lvaddr_t)x86_kstack_top;
}

void arch_timer_start(void) { lapic_timer_periodic(boot_info()->timer_hz, TIMESLICE_HZ); }

uint64_t arch_now_ns(void)
{
    uint64_t hz = boot_info()->arch.tsc_hz;
    if (hz == 0)
        return 0;
    /* t * 10^9 / hz as t times a 32.32 fixed-point factor: no division of the
     * TSC's value, whose size would change which division instruction runs
     * (clang divides with 32 bits where the operands fit), and with it the
     * instructions -icount counts. The factor is off by less than 2^-32. */
    uint64_t factor = (1000000000ull << 32) / hz;
    return (uint64_t)(((unsigned __int128)x86_rdtsc() * factor) >> 32);
}

bool arch_device_range(paddr_t base, uint64_t size)
{
    /* The 32-bit MMIO hole: below 4 GiB and above RAM (q35 keeps RAM below). */
    return base >= (3ull << 30) && size <= (4ull << 30) - base;
}

bool arch_device_page(unsigned index, paddr_t *base, const char **name)
{
    if (index != 0)
        return false;
    *base = boot_info()->arch.lapic_phys & ~PAGE_MASK;
    *name = "local APIC";
    return true;
}

void arch_regs_init(struct regs *r, uvaddr_t entry, uvaddr_t stack_top, uint64_t arg0,
                    uint64_t arg1)
{
    *r = (struct regs){0};
    r->rip = entry;
    r->rsp = stack_top - 8; /* as if called: the ABI wants rsp+8 16-byte aligned */
    r->rdi = arg0;
    r->rsi = arg1;
    r->rflags = 0x202;
}

void arch_set_syscall_result(struct regs *r, err_t err, uint64_t value)
{
    r->rax = (uint64_t)err;
    r->rdx = value;
}

#define RFLAGS_USER_SETTABLE 0xcd5 /* CF PF AF ZF SF TF DF OF */

/* Whose FPU state is in the registers now. The kernel never uses the FPU, so it
 * is saved and restored only when a different dispatcher runs. */
static struct dispatcher *fpu_owner;

static void fpu_switch(struct dispatcher *d)
{
    if (fpu_owner == d && d->arch.fpu_initialised)
        return; /* a fresh dispatcher in a dead owner's slot gets clean state */
    if (fpu_owner != NULL && fpu_owner != d && fpu_owner->state != D_FREE)
        __asm__ volatile("fxsave64 %0" : "=m"(fpu_owner->arch.fxsave));
    if (!d->arch.fpu_initialised) {
        /* The state after FNINIT, with every SSE exception masked. */
        *(uint16_t *)&d->arch.fxsave[0] = 0x037f;  /* FCW */
        *(uint32_t *)&d->arch.fxsave[24] = 0x1f80; /* MXCSR */
        d->arch.fpu_initialised = 1;
    }
    __asm__ volatile("fxrstor64 %0" ::"m"(d->arch.fxsave));
    fpu_owner = d;
}

NORETURN void arch_resume(struct dispatcher *d)
{
    struct regs *r = &d->regs;
    /* Whatever the saved frame says, return to user mode with interrupts on. */
    r->cs = SEG_UCODE | 3;
    r->ss = SEG_UDATA | 3;
    r->rflags = (r->rflags & RFLAGS_USER_SETTABLE) | 0x202;
    if (r->rip >= USER_TOP) {
        dispatcher_kill(d, SIG_SEGV, DEATH_BAD_PC, r->rip,
                        "instruction pointer outside user space");
        schedule();
    }
    if (x86_read_cr3() != d->vspace_root)
        x86_write_cr3(d->vspace_root);
    fpu_switch(d);
    x86_return_to_user(r);
}

/* The C side of the syscall instruction (entry.S saved the frame). */
NORETURN void x86_syscall(struct regs *f)
{
    struct dispatcher *d = dispatch_current();
    d->regs = *f;
    uint64_t args[6] = {f->rdi, f->rsi, f->rdx, f->r10, f->r8, f->r9};
    syscall_dispatch(d, f->rax, args);
}

/* x86 keeps instruction fetch coherent with stores; the return to user mode
 * that follows is serializing. */
void arch_sync_icache(void) {}
