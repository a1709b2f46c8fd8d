/* smp.c — the boot hart starts every other hart through SBI HSM hart_start,
 * one at a time. The common code (boot_start_core) carves the hart's private
 * region, RAM slice and kernel channel; here the region is laid out, and the
 * hart's struct core_boot goes into a hand-off area that is also its first
 * stack. The new hart copies it into its own memory and raises the
 * started flag; from then on the two share only read-only boot data and their
 * kernel channel. */
#include <arch.h>
#include <arch/layout.h>
#include <boot.h>
#include <bootinfo.h>
#include <kchan.h>
#include <mem.h>
#include <string.h>

#include "riscv.h"

#define START_TIMEOUT_NS 10000000000ull

static paddr_t handoff;    /* boot core: the hand-off area */
static paddr_t started_at; /* boot core: the word a new core raises */

uint64_t arch_core_region_bytes(void)
{
    return riscv_core_region_bytes(riscv_direct_top(boot_info()));
}

paddr_t arch_core_region_build(paddr_t base, struct core_boot *cb)
{
    return riscv_core_region_build(base, DIRECT_VBASE, riscv_direct_top(boot_info()), cb);
}

/* Under single-threaded TCG (QEMU's -icount) the boot hart runs alone until
 * it waits: a hart started before it has run OpenSBI's own start-up never
 * leaves OpenSBI's HSM wait. So the boot hart waits once, a millisecond, for
 * the others to reach it first (on hardware they are there long before). */
static void wait_a_millisecond(void)
{
    uint64_t until = rdtime() + boot_info()->timer_hz / 1000, sie = csr_read(sie);
    csr_set(sie, SIE_STIE); /* wfi wakes for it; sstatus.SIE keeps the trap away */
    sbi_set_timer(until);
    while (rdtime() < until)
        __asm__ volatile("wfi");
    csr_write(sie, sie);
}

static void let_other_harts_run(void)
{
    static bool done;
    if (!done)
        wait_a_millisecond();
    done = true;
}

err_t arch_start_core(const struct core_boot *cb)
{
    coreid_t id = cb->id;
    const struct boot_info *info = boot_info();
    if (!(info->arch.sbi_has & SBI_HAS_HSM)) {
        kprintf("cpu %u: the SBI has no HSM extension to start it\n", id);
        return ERR_NOSYS;
    }
    if (handoff == 0) {
        handoff = mem_alloc_contiguous(HANDOFF_SIZE);
        started_at = handoff + HANDOFF_FLAG_OFFSET;
        if (handoff == 0)
            return ERR_NOMEM;
    }
    memcpy(arch_phys_to_virt(handoff), cb, sizeof *cb);
    volatile uint32_t *flag = arch_phys_to_virt(started_at);
    __atomic_store_n(flag, 0, __ATOMIC_RELEASE);

    /* Published for a hart that OpenSBI sends to _start by mistake (boot.S). */
    *(volatile uint64_t *)arch_phys_to_virt(__layout.handoff_word_phys) = handoff;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    let_other_harts_run();
    uint64_t deadline = arch_now_ns() + START_TIMEOUT_NS;
    long err;
    /* SBI_ERR_INVALID_PARAM: the hart has not reached OpenSBI's wait for a
     * start yet (it is still in OpenSBI's own start-up): ask again. */
    while ((err = sbi_hart_start(cb->hw_id, __layout.ap_entry_phys, handoff)) ==
               SBI_ERR_INVALID_PARAM &&
           arch_now_ns() < deadline)
        wait_a_millisecond();
    if (err != 0) {
        kprintf("cpu %u: SBI hart_start of hart %u failed (%ld)\n", id, cb->hw_id, err);
        return ERR_DEAD;
    }
    while (__atomic_load_n(flag, __ATOMIC_ACQUIRE) != id + 1) {
        if (arch_now_ns() > deadline) {
            kprintf("cpu %u: did not start (hart %u)\n", id, cb->hw_id);
            return ERR_DEAD;
        }
        kchan_poll();
    }
    return OK;
}

void arch_send_wake(coreid_t core) { sbi_send_ipi(boot_info()->hw_ids[core]); }
