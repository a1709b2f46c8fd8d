/* smp.c — the boot hart starts every other hart through SBI HSM hart_start,
 * one at a time: a private region (a copy of .data/.bss and its own page
 * tables), a slice of RAM and a kernel channel, all carved from the boot core's
 * memory; the hart's struct core_boot goes into a hand-off area that is also
 * its first stack. The new hart copies it into its own memory and raises the
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
#define CORE_MEM_MAX     (32ull << 20)
#define CORE_MEM_MIN     (2ull << 20)

static paddr_t handoff;    /* boot core: the hand-off area */
static paddr_t started_at; /* boot core: the word a new core raises */

static bool start_one(const struct boot_info *info, coreid_t id, uint64_t slice)
{
    uint64_t direct_top = riscv_direct_top(info);
    uint64_t region_bytes = riscv_core_region_bytes(direct_top);
    paddr_t region = mem_alloc_contiguous(region_bytes + slice);
    if (region == 0) {
        kprintf("cpu %u: no memory left for its kernel data; left off\n", id);
        return false;
    }
    struct core_boot cb = {.id = id, .hw_id = info->hw_ids[id], .info = boot_self()->info};
    paddr_t end = riscv_core_region_build(region, DIRECT_VBASE, direct_top, &cb);
    if (end == 0)
        panic("cannot build page tables for core %u", id);
    cb.mem_base = end;
    cb.mem_end = region + region_bytes + slice;
    cb.chan_phys = kchan_create_for(id);
    cb.monchan_phys = boot_monchan_for(id);
    if (cb.chan_phys == 0) {
        kprintf("cpu %u: no memory for its kernel channel; left off\n", id);
        return false;
    }
    memcpy(arch_phys_to_virt(handoff), &cb, sizeof cb);
    volatile uint32_t *flag = arch_phys_to_virt(started_at);
    __atomic_store_n(flag, 0, __ATOMIC_RELEASE);

    /* Published for a hart that OpenSBI sends to _start by mistake (boot.S). */
    *(volatile uint64_t *)arch_phys_to_virt(__layout.handoff_word_phys) = handoff;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    long err = sbi_hart_start(cb.hw_id, __layout.ap_entry_phys, handoff);
    if (err != 0) {
        kprintf("cpu %u: SBI hart_start of hart %u failed (%ld)\n", id, cb.hw_id, err);
        return false;
    }
    uint64_t deadline = arch_now_ns() + START_TIMEOUT_NS;
    while (__atomic_load_n(flag, __ATOMIC_ACQUIRE) != id + 1) {
        if (arch_now_ns() > deadline) {
            kprintf("cpu %u: did not start (hart %u)\n", id, cb.hw_id);
            return false;
        }
        kchan_poll();
    }
    return true;
}

err_t arch_start_core(coreid_t id, uint64_t slice)
{
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
    return start_one(info, id, slice) ? OK : ERR_DEAD;
}

void arch_send_wake(coreid_t core) { sbi_send_ipi(boot_info()->hw_ids[core]); }
