/* regs.h — a user domain's saved registers on x86-64: the layout trap and
 * system-call entry push (entry.S), and what arch_resume restores. */
#ifndef ARCH_REGS_H
#define ARCH_REGS_H

#include <stdint.h>

struct regs {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8, rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector, error; /* vector X86_VEC_SYSCALL for a system call */
    uint64_t rip, cs, rflags, rsp, ss;
};

_Static_assert(sizeof(struct regs) == 22 * 8, "entry.S pushes 22 words");

#define X86_VEC_SYSCALL 0x100

/* Per-dispatcher state beyond the registers: the FPU/SSE area (fxsave format). */
struct arch_dispatcher {
    uint8_t fxsave[512] __attribute__((aligned(16)));
    int fpu_initialised;
};

#endif
