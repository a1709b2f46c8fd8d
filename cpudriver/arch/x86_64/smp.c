/* smp.c — the boot core starts every other core, one at a time. The common code
 * (boot_start_core) carves the core's private region (a fresh copy of .data/.bss
 * plus its own page tables), its RAM slice and kernel channel; here the region
 * is laid out, the core's struct core_boot goes into the hand-off page, and
 * INIT-SIPI-SIPI is sent. The new core copies its
 * core_boot into its own memory and raises the started flag; from then on the
 * two share nothing but the read-only boot info and their kernel channel.
 * Monitor 0 asks for each start through its Kernel capability. */
#include <arch.h>
#include <arch/layout.h>
#include <boot.h>
#include <bootinfo.h>
#include <kchan.h>
#include <mem.h>
#include <string.h>

#include "x86.h"

extern char trampoline_start[], trampoline_end[], tramp_cr3[], tramp_pml4[], tramp_cb[],
    tramp_entry[], boot_pml4[];

#define HANDOFF_CB       (TRAMPOLINE_PHYS + 0x800) /* struct core_boot of the core starting */
#define HANDOFF_STARTED  (TRAMPOLINE_PHYS + 0xf00) /* its id + 1, once it has copied it */
#define START_TIMEOUT_NS 10000000000ull

static volatile uint32_t *started_flag(void) { return arch_phys_to_virt(HANDOFF_STARTED); }

static void put_word(char *field, uint64_t v)
{
    uint64_t off = (uint64_t)(field - trampoline_start);
    *(volatile uint64_t *)arch_phys_to_virt(TRAMPOLINE_PHYS + off) = v;
}

/* Called on the new core once it runs on its own tables. */
void smp_core_started(coreid_t id) { __atomic_store_n(started_flag(), id + 1, __ATOMIC_RELEASE); }

static void delay_us(uint64_t us)
{
    uint64_t until = arch_now_ns() + us * 1000;
    while (arch_now_ns() < until)
        x86_pause();
}

uint64_t arch_core_region_bytes(void) { return x86_core_region_bytes(boot_info()); }

paddr_t arch_core_region_build(paddr_t base, struct core_boot *cb)
{
    return x86_core_region_build(base, x86_direct_top(boot_info()), DIRECT_VBASE, cb);
}

static bool trampoline_copied;

err_t arch_start_core(const struct core_boot *cb)
{
    coreid_t id = cb->id;
    if (!trampoline_copied) {
        memcpy(arch_phys_to_virt(TRAMPOLINE_PHYS), trampoline_start,
               (size_t)(trampoline_end - trampoline_start));
        trampoline_copied = true;
    }
    memcpy(arch_phys_to_virt(HANDOFF_CB), cb, sizeof *cb);
    put_word(tramp_cr3, (uint64_t)boot_pml4);
    put_word(tramp_pml4, cb->arch.pml4);
    put_word(tramp_cb, (uint64_t)arch_phys_to_virt(HANDOFF_CB));
    put_word(tramp_entry, (uint64_t)x86_switch_to_core);
    __atomic_store_n(started_flag(), 0, __ATOMIC_RELEASE);

    /* INIT, then SIPI twice, as the MP specification describes. */
    lapic_send_init(cb->hw_id);
    delay_us(10000);
    for (int i = 0; i < 2; i++) {
        lapic_send_sipi(cb->hw_id, TRAMPOLINE_PHYS >> 12);
        delay_us(200);
    }
    uint64_t deadline = arch_now_ns() + START_TIMEOUT_NS;
    while (__atomic_load_n(started_flag(), __ATOMIC_ACQUIRE) != id + 1) {
        if (arch_now_ns() > deadline) {
            kprintf("cpu %u: did not start (APIC id %u)\n", id, cb->hw_id);
            return ERR_DEAD;
        }
        kchan_poll();
        x86_pause();
    }
    return OK;
}

void arch_send_wake(coreid_t core) { lapic_send_ipi(boot_info()->hw_ids[core], VEC_WAKE); }
