/* arch.c — the RISC-V side of the arch interface that is not big enough for a
 * file of its own: core start-up, time, and entering user mode. */
#include <arch.h>
#include <arch/layout.h>
#include <arch/regs.h>
#include <boot.h>
#include <bootinfo.h>
#include <dispatch.h>

#include "riscv.h"

static const struct core_boot *entry_cb; /* the hand-off area this core came from */

void *arch_phys_to_virt(paddr_t p) { return (void *)(DIRECT_VBASE + p); }

/* Every core's first C, on its own tables and stack (entry.S). */
NORETURN void riscv_core_entry(const struct core_boot *cb)
{
    entry_cb = cb;
    kernel_main(cb);
}

void arch_core_init(void)
{
    csr_write(sie, SIE_STIE | SIE_SSIE); /* taken only while sstatus.SIE is set */
    csr_write(scounteren, 7);            /* user mode may read cycle, time and instret */
    plic_core_init();
    coreid_t id = boot_self()->id;
    if (id != 0) {
        volatile uint32_t *flag =
            (volatile uint32_t *)((const uint8_t *)entry_cb + HANDOFF_FLAG_OFFSET);
        __atomic_store_n(flag, id + 1, __ATOMIC_RELEASE);
    }
}

void arch_boot_core_discover(void)
{
    struct boot_info *info = boot_info_early();
    const struct {
        long ext;
        uint32_t bit;
        const char *name;
    } exts[] = {
        {SBI_EXT_TIME, SBI_HAS_TIME, "TIME"},
        {SBI_EXT_IPI, SBI_HAS_IPI, "IPI"},
        {SBI_EXT_HSM, SBI_HAS_HSM, "HSM"},
        {SBI_EXT_SRST, SBI_HAS_SRST, "SRST"},
    };
    char have[32] = "";
    unsigned n = 0;
    for (unsigned i = 0; i < sizeof exts / sizeof exts[0]; i++) {
        if (!sbi_probe(exts[i].ext))
            continue;
        info->arch.sbi_has |= exts[i].bit;
        for (const char *s = exts[i].name; *s && n + 2 < sizeof have; s++)
            have[n++] = *s;
        have[n++] = ' ';
    }
    have[n ? n - 1 : 0] = '\0';
    if (!(info->arch.sbi_has & SBI_HAS_TIME))
        panic("the SBI has no TIME extension; there is no timer");
    kprintf("boot: %u harts in the device tree (boot hart %u); timebase %lu Hz; SBI: %s\n",
            info->core_count, info->hw_ids[0], (unsigned long)info->timer_hz, have);
}

static uint64_t tick_interval(void) { return boot_info()->timer_hz / TIMESLICE_HZ; }

void arch_kernel_stack(lvaddr_t *lo, lvaddr_t *hi)
{
    extern char riscv_kstack[], riscv_kstack_top[];
    *lo = (lvaddr_t)riscv_kstack;
    *hi = (lvaddr_t)riscv_kstack_top;
}

void arch_timer_start(void) { sbi_set_timer(rdtime() + tick_interval()); }

void riscv_timer_rearm(void) { sbi_set_timer(rdtime() + tick_interval()); }

uint64_t arch_now_ns(void)
{
    uint64_t hz = boot_info()->timer_hz;
    uint64_t t = rdtime();
    return t / hz * 1000000000u + t % hz * 1000000000u / hz;
}

bool arch_device_range(paddr_t base, uint64_t size)
{
    return base < RAM_BASE && size <= RAM_BASE - base; /* the virt machine's MMIO */
}

bool arch_device_page(unsigned index, paddr_t *base, const char **name)
{
    const struct boot_info *info = boot_info();
    if (index != 0 || info->arch.plic_phys == 0)
        return false;
    *base = info->arch.plic_phys & ~PAGE_MASK;
    *name = "PLIC"; /* its first page: 32-bit source priorities, safe to read */
    return true;
}

void arch_regs_init(struct regs *r, uvaddr_t entry, uvaddr_t stack_top, uint64_t arg0,
                    uint64_t arg1)
{
    *r = (struct regs){0};
    r->sepc = entry;
    r->x[REG_SP] = stack_top;
    r->x[REG_A0] = arg0;
    r->x[REG_A1] = arg1;
}

void arch_set_syscall_result(struct regs *r, err_t err, uint64_t value)
{
    r->x[REG_A0] = (uint64_t)err;
    r->x[REG_A1] = value;
}

void riscv_fpu_save(uint64_t *regs);
void riscv_fpu_restore(const uint64_t *regs);

/* Whose floating-point registers the hart holds. The kernel never uses them, so
 * they change only when a different dispatcher runs. A dispatcher that has not
 * run yet (a fresh one, maybe in a dead one's slot) always gets clean ones. */
static struct dispatcher *fpu_owner;

static void fpu_switch(struct dispatcher *d)
{
    if (fpu_owner == d && d->arch.fpu_initialised)
        return;
    csr_set(sstatus, SSTATUS_FS); /* let the kernel move the registers */
    if (fpu_owner != NULL && fpu_owner != d && fpu_owner->state != D_FREE)
        riscv_fpu_save(fpu_owner->arch.fregs);
    d->arch.fpu_initialised = 1; /* fregs start zeroed: fcsr 0, round to nearest */
    riscv_fpu_restore(d->arch.fregs);
    fpu_owner = d;
}

NORETURN void arch_resume(struct dispatcher *d)
{
    struct regs *r = &d->regs;
    /* Whatever was saved: back to user mode, interrupts on, the FPU usable
     * (Clean), no SUM. */
    r->sstatus = (csr_read(sstatus) & ~(SSTATUS_SPP | SSTATUS_FS | SSTATUS_SUM | SSTATUS_SIE)) |
                 SSTATUS_SPIE | SSTATUS_FS_CLEAN;
    if (r->sepc >= USER_TOP) {
        dispatcher_kill(d, SIG_SEGV, DEATH_BAD_PC, r->sepc,
                        "instruction pointer outside user space");
        schedule();
    }
    uint64_t satp = (8ull << 60) | (d->vspace_root >> 12);
    if (csr_read(satp) != satp) {
        csr_write(satp, satp);
        __asm__ volatile("sfence.vma" ::: "memory");
    }
    fpu_switch(d);
    riscv_return_to_user(r);
}

void arch_sync_icache(void) { __asm__ volatile("fence.i" ::: "memory"); }
