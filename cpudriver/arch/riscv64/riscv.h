/* riscv.h — RISC-V instructions and the arch-internal interfaces between files. */
#ifndef RISCV_H
#define RISCV_H

#include <bootinfo.h>
#include <kernel.h>

#define csr_read(csr)                                                                              \
    ({                                                                                             \
        uint64_t v_;                                                                               \
        __asm__ volatile("csrr %0, " #csr : "=r"(v_));                                             \
        v_;                                                                                        \
    })
#define csr_write(csr, v) __asm__ volatile("csrw " #csr ", %0" ::"r"((uint64_t)(v)))
#define csr_set(csr, v)   __asm__ volatile("csrs " #csr ", %0" ::"r"((uint64_t)(v)))
#define csr_clear(csr, v) __asm__ volatile("csrc " #csr ", %0" ::"r"((uint64_t)(v)))

#define SSTATUS_SIE      (1ull << 1)
#define SSTATUS_SPIE     (1ull << 5)
#define SSTATUS_SPP      (1ull << 8)
#define SSTATUS_FS       (3ull << 13)
#define SSTATUS_FS_CLEAN (2ull << 13)
#define SSTATUS_SUM      (1ull << 18)
#define SIE_SSIE         (1ull << 1)
#define SIE_STIE         (1ull << 5)
#define SIP_SSIP         (1ull << 1)

static inline uint64_t rdtime(void)
{
    uint64_t t;
    __asm__ volatile("rdtime %0" : "=r"(t));
    return t;
}

/* plic.c */
void plic_core_init(void);
void plic_interrupt(void);

/* The physical addresses the linker script records in __layout. */
struct riscv_layout {
    uint64_t image_start_phys, image_end_phys, data_template_phys, boot_root_phys, ap_entry_phys;
    uint64_t handoff_word_phys; /* where the boot hart publishes the current hand-off */
};
extern const struct riscv_layout __layout;

/* early.c */
paddr_t riscv_core_region_build(paddr_t base, uint64_t access, uint64_t direct_top,
                                struct core_boot *cb);
uint64_t riscv_core_region_bytes(uint64_t direct_top);
uint64_t riscv_direct_top(const struct boot_info *info);

/* entry.S */
NORETURN void riscv_switch_to_core(paddr_t root, const struct core_boot *cb);
NORETURN void riscv_return_to_user(const void *frame);

/* sbi.c */
struct sbiret {
    long error;
    long value;
};
struct sbiret sbi_call(long ext, long fid, long a0, long a1, long a2);
bool sbi_probe(long ext);
void sbi_set_timer(uint64_t when);
long sbi_hart_start(uint64_t hart, paddr_t start, uint64_t opaque);
void sbi_send_ipi(uint64_t hart);

#define SBI_EXT_BASE 0x10
#define SBI_EXT_TIME 0x54494d45
#define SBI_EXT_IPI  0x735049
#define SBI_EXT_HSM  0x48534d
#define SBI_EXT_SRST 0x53525354

/* An SBI call's error: HSM hart_start gives it for a hart that is not stopped. */
#define SBI_ERR_INVALID_PARAM (-3)

/* smp.c */

/* Where in the hand-off area a new core raises its started flag (its id + 1):
 * after its struct core_boot, well below the stack at the area's top. */
#define HANDOFF_FLAG_OFFSET 2048
_Static_assert(sizeof(struct core_boot) < HANDOFF_FLAG_OFFSET, "core_boot fits before the flag");

#endif
