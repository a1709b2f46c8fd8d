/* sys/arch.h — architecture facts user programs (mostly tests) may need. */
#ifndef SYS_ARCH_H
#define SYS_ARCH_H

#include <stdint.h>

/* An address in the CPU driver's image: mapped, but not for user mode. */
#define SYS_KERNEL_ADDRESS 0xffffffff80200000ull

/* One instruction that only the kernel may execute. */
#define SYS_PRIVILEGED_INSTRUCTION() __asm__ volatile("csrr t0, sstatus" ::: "t0")

/* A counter every core reads alike (x86: the TSC; RISC-V: the time CSR), for
 * benchmarks, which calibrate its rate against sys_now_ns(). */
static inline unsigned long long sys_counter(void)
{
    uint64_t t;
    __asm__ volatile("rdtime %0" : "=r"(t));
    return t;
}

/* Under QEMU's -icount shift=0 (single-threaded TCG), the instructions every
 * core has executed, exact where it is read: instret follows QEMU's virtual
 * clock there, one nanosecond per instruction (the time CSR ticks only every
 * 100). Elsewhere instructions retired by this hart. */
static inline unsigned long long sys_icount(void)
{
    uint64_t n;
    __asm__ volatile("rdinstret %0" : "=r"(n));
    return n;
}

#endif
