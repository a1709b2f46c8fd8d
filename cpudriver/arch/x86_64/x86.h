/* x86.h — x86-64 instructions and the arch-internal interfaces between files. */
#ifndef X86_H
#define X86_H

#include <bootinfo.h>
#include <kernel.h>

static inline void x86_outb(uint16_t port, uint8_t v)
{
    __asm__ volatile("outb %0, %1" ::"a"(v), "Nd"(port));
}
static inline void x86_outw(uint16_t port, uint16_t v)
{
    __asm__ volatile("outw %0, %1" ::"a"(v), "Nd"(port));
}
static inline uint8_t x86_inb(uint16_t port)
{
    uint8_t v;
    __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}
static inline uint64_t x86_rdmsr(uint32_t msr)
{
    uint32_t lo, hi;
    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return ((uint64_t)hi << 32) | lo;
}
static inline void x86_wrmsr(uint32_t msr, uint64_t v)
{
    __asm__ volatile("wrmsr" ::"c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}
static inline uint64_t x86_read_cr2(void)
{
    uint64_t v;
    __asm__ volatile("mov %%cr2, %0" : "=r"(v));
    return v;
}
static inline uint64_t x86_read_cr3(void)
{
    uint64_t v;
    __asm__ volatile("mov %%cr3, %0" : "=r"(v));
    return v;
}
static inline void x86_write_cr3(uint64_t v)
{
    __asm__ volatile("mov %0, %%cr3" ::"r"(v) : "memory");
}
static inline uint64_t x86_rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}
static inline void x86_pause(void) { __asm__ volatile("pause"); }

/* early.c */
paddr_t x86_core_region_build(paddr_t base, uint64_t direct_top, uint64_t access,
                              struct core_boot *cb);
uint64_t x86_direct_top(const struct boot_info *info);
uint64_t x86_core_region_bytes(const struct boot_info *info);

/* entry.S */
NORETURN void x86_switch_to_core(paddr_t pml4, const struct core_boot *cb);
extern char x86_trap_stubs[];
void x86_syscall_entry(void);
NORETURN void x86_return_to_user(const void *frame);

/* cpu.c */
void x86_cpu_init(void);

/* lapic.c */
void pic_disable(void);
void lapic_init(void);
void lapic_eoi(void);
uint32_t lapic_id(void);
bool lapic_x2apic(void);
void lapic_calibrate(uint64_t *lapic_hz, uint64_t *tsc_hz);
void lapic_timer_periodic(uint64_t hz, uint32_t per_second);
void lapic_send_init(uint32_t apic_id);
void lapic_send_sipi(uint32_t apic_id, uint8_t vector);
void lapic_send_ipi(uint32_t apic_id, uint8_t vector);

/* ioapic.c */
struct boot_info;
void ioapic_init(struct boot_info *info);
bool ioapic_line_is_level(uint64_t line);

/* eoi.c */
void ioapic_interrupt(unsigned pin);

/* acpi.c */
void acpi_discover(struct boot_info *info);

/* smp.c */
void smp_core_started(coreid_t id);

/* serial.c */
void serial_init(void);

/* Device vectors rank below the timer and the IPIs: a level-triggered one
 * stays in service until its driver acks (eoi.c), and must not hold them up. */
#define VEC_IRQ_BASE 0x20 /* + I/O APIC pin: lines bound to drivers */
#define VEC_IRQ_END  0xe0
#define VEC_TIMER    0xf0
#define VEC_WAKE     0xf1
#define VEC_SPURIOUS 0xff

#endif
