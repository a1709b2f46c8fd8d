/* sys/arch.h — architecture facts user programs (mostly tests) may need. */
#ifndef SYS_ARCH_H
#define SYS_ARCH_H

#include <stdint.h>

/* An address in the CPU driver's image: mapped, but not for user mode. */
#define SYS_KERNEL_ADDRESS 0xffffffff80100000ull

/* One instruction that only the kernel may execute. */
#define SYS_PRIVILEGED_INSTRUCTION() __asm__ volatile("hlt")

/* A counter every core reads alike (x86: the TSC; RISC-V: the time CSR), for
 * benchmarks, which calibrate its rate against sys_now_ns(). */
static inline unsigned long long sys_counter(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

/* Under QEMU's -icount shift=0 (single-threaded TCG), the instructions every
 * core has executed, exact where it is read: the TSC follows QEMU's virtual
 * clock there, one nanosecond per instruction. Elsewhere a cycle count. */
static inline unsigned long long sys_icount(void) { return sys_counter(); }

#endif
