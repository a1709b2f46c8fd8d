/* power.c — ending the system. A clean power-off goes through ACPI S5 (QEMU
 * then exits 0); a failure is reported through QEMU's isa-debug-exit device,
 * which makes QEMU exit with (status << 1) | 1. */
#include <arch.h>
#include <bootinfo.h>
#include <mem.h>

#include "x86.h"

#define DEBUG_EXIT_PORT 0xf4
#define SLP_EN          (1u << 13)

NORETURN void arch_system_exit(int status)
{
    const struct boot_info *info = boot_info();
    if (status == 0 && info->arch.pm1a_cnt_port != 0) {
        x86_outw(info->arch.pm1a_cnt_port, (uint16_t)((info->arch.slp_typ_s5 << 10) | SLP_EN));
        /* The power-off takes effect a moment later; wait for it, boundedly. */
        uint64_t deadline = arch_now_ns() + 2000000000ull;
        while (arch_now_ns() < deadline)
            x86_pause();
    }
    /* Status 0 lands here only if S5 did not take: report it as a failure. */
    x86_outb(DEBUG_EXIT_PORT, (uint8_t)(status == 0 ? 0x7f : status));
    arch_halt();
}

NORETURN void arch_halt(void)
{
    for (;;)
        __asm__ volatile("cli; hlt");
}

void arch_wait_for_interrupt(void) { __asm__ volatile("sti; hlt; cli" ::: "memory"); }
