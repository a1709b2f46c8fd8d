/* bootinfo_arch.h — the x86-64 parts of the boot info. */
#ifndef ARCH_BOOTINFO_ARCH_H
#define ARCH_BOOTINFO_ARCH_H

#include <stdint.h>

struct arch_boot_info {
    uint64_t lapic_phys;
    uint64_t tsc_hz;        /* time stamp counter rate, measured by the boot core */
    uint16_t pm1a_cnt_port; /* ACPI PM1a control block, for S5 power-off; 0 if unknown */
    uint16_t slp_typ_s5;    /* SLP_TYPa value for S5 */
    uint64_t ioapic_phys;   /* the (first) I/O APIC; 0 if the MADT names none */
    uint32_t ioapic_gsi_base;
    uint32_t ioapic_pins; /* read from it once, by the boot core */
    /* ISA IRQ i arrives as GSI isa_gsi[i] with MPS INTI flags isa_flags[i]
     * (polarity, trigger), from the MADT's interrupt source overrides. */
    uint8_t isa_gsi[16];
    uint16_t isa_flags[16];
};

struct arch_core_boot {
    uint64_t pml4; /* this core's kernel page tables */
};

#endif
