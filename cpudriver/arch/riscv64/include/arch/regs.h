/* regs.h — a user domain's saved registers on RISC-V: what the trap entry
 * stores (entry.S) and what arch_resume restores. x[0] is unused. */
#ifndef ARCH_REGS_H
#define ARCH_REGS_H

#include <stdint.h>

struct regs {
    uint64_t x[32];
    uint64_t sepc, sstatus, scause, stval;
};

_Static_assert(sizeof(struct regs) == 36 * 8, "entry.S stores 36 words");

/* Per-dispatcher state beyond the registers: f0-f31 and fcsr. */
struct arch_dispatcher {
    uint64_t fregs[33];
    int fpu_initialised;
};

#define REG_RA 1
#define REG_SP 2
#define REG_FP 8 /* s0 */
#define REG_A0 10
#define REG_A1 11
#define REG_A7 17

#endif
