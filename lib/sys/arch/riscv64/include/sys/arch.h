/* sys/arch.h — architecture facts user programs (mostly tests) may need. */
#ifndef SYS_ARCH_H
#define SYS_ARCH_H

/* An address in the CPU driver's image: mapped, but not for user mode. */
#define SYS_KERNEL_ADDRESS 0xffffffff80200000ull

/* One instruction that only the kernel may execute. */
#define SYS_PRIVILEGED_INSTRUCTION() __asm__ volatile("csrr t0, sstatus" ::: "t0")

#endif
