/* sbi.c — calls into the SBI firmware (OpenSBI): extension probing, the timer,
 * IPIs and hart start. Every call is an ecall with a7 = extension, a6 = function. */
#include "riscv.h"

struct sbiret sbi_call(long ext, long fid, long a0, long a1, long a2)
{
    register long r0 __asm__("a0") = a0;
    register long r1 __asm__("a1") = a1;
    register long r2 __asm__("a2") = a2;
    register long r6 __asm__("a6") = fid;
    register long r7 __asm__("a7") = ext;
    __asm__ volatile("ecall" : "+r"(r0), "+r"(r1) : "r"(r2), "r"(r6), "r"(r7) : "memory");
    return (struct sbiret){r0, r1};
}

bool sbi_probe(long ext)
{
    struct sbiret r = sbi_call(SBI_EXT_BASE, 3, ext, 0, 0);
    return r.error == 0 && r.value != 0;
}

void sbi_set_timer(uint64_t when) { sbi_call(SBI_EXT_TIME, 0, (long)when, 0, 0); }

long sbi_hart_start(uint64_t hart, paddr_t start, uint64_t opaque)
{
    return sbi_call(SBI_EXT_HSM, 0, (long)hart, (long)start, (long)opaque).error;
}

void sbi_send_ipi(uint64_t hart)
{
    /* hart_mask relative to hart_mask_base: bit 0 is hart itself. */
    sbi_call(SBI_EXT_IPI, 0, 1, (long)hart, 0);
}
