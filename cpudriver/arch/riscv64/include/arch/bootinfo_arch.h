/* bootinfo_arch.h — the RISC-V parts of the boot info. */
#ifndef ARCH_BOOTINFO_ARCH_H
#define ARCH_BOOTINFO_ARCH_H

#include <stdint.h>

struct arch_boot_info {
    uint64_t uart_phys;
    uint32_t uart_reg_shift;
    uint64_t test_phys; /* sifive_test: power-off and exit status; 0 if none */
    uint32_t uart_irq;  /* its PLIC source; 0 if unknown */
    uint64_t plic_phys; /* the interrupt controller; 0 if none */
    /* Each logical core's PLIC context for supervisor interrupts (indexed like
     * hw_ids); PLIC_NO_CONTEXT if the tree names none. */
    uint16_t plic_context[256];
    uint32_t sbi_has; /* SBI_HAS_* */
};

#define PLIC_NO_CONTEXT 0xffff

#define SBI_HAS_TIME (1u << 0)
#define SBI_HAS_IPI  (1u << 1)
#define SBI_HAS_HSM  (1u << 2)
#define SBI_HAS_SRST (1u << 3)

struct arch_core_boot {
    uint64_t root; /* this core's kernel page-table root (physical) */
};

#endif
