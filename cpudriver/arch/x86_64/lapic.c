/* lapic.c — this core's local APIC: timer, end of interrupt, and the IPIs that
 * start other cores. The timer's rate is measured once on the boot core against
 * the PIT; every core's LAPIC timer runs from the same bus clock, so the others
 * reuse the figure.
 *
 * x2APIC mode (registers as MSRs, 32-bit APIC ids) where CPUID offers it, as
 * KVM and QEMU 8.1's TCG on do; it is what reaches APIC ids past 254, so 256
 * cores and more need it. Otherwise xAPIC over MMIO, with 8-bit ids (QEMU 7.2's
 * TCG, Debian 12's own, has no x2APIC). Every core picks the same mode, since
 * every core's CPUID says the same. */
#include <arch.h>
#include <arch/layout.h>

#include "x86.h"

#define LAPIC_DEFAULT_PHYS 0xfee00000ull
#define REG_ID             0x20
#define REG_EOI            0xb0
#define REG_SVR            0xf0
#define REG_ICR_LO         0x300
#define REG_ICR_HI         0x310
#define REG_LVT_TIMER      0x320
#define REG_TIMER_INIT     0x380
#define REG_TIMER_COUNT    0x390
#define REG_TIMER_DIV      0x3e0
#define TIMER_PERIODIC     (1u << 17)
#define LVT_MASKED         (1u << 16)
#define MSR_APIC_BASE      0x1b
#define APIC_BASE_ENABLE   (1u << 11)
#define APIC_BASE_X2APIC   (1u << 10)
#define MSR_X2APIC_FIRST   0x800 /* xAPIC register R is MSR 0x800 + R / 16 */
#define MSR_X2APIC_ICR     0x830 /* the whole ICR, destination in bits 32-63 */
#define CPUID1_ECX_X2APIC  (1u << 21)

static volatile uint32_t *regs; /* xAPIC mode only */
static bool x2apic;

static uint32_t rd(uint32_t reg)
{
    return x2apic ? (uint32_t)x86_rdmsr(MSR_X2APIC_FIRST + reg / 16) : regs[reg / 4];
}
static void wr(uint32_t reg, uint32_t v)
{
    if (x2apic)
        x86_wrmsr(MSR_X2APIC_FIRST + reg / 16, v);
    else
        regs[reg / 4] = v;
}

static bool cpu_has_x2apic(void)
{
    uint32_t a = 1, b, c = 0, d;
    __asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
    return c & CPUID1_ECX_X2APIC;
}

/* The legacy 8259 PICs: moved off the exception vectors, then masked for good.
 * Left alone, the BIOS's setting delivers the PIT's IRQ 0 as vector 8. */
void pic_disable(void)
{
    const uint8_t base[2] = {0x20, 0x28};
    const uint16_t cmd[2] = {0x20, 0xa0}, data[2] = {0x21, 0xa1};
    for (int i = 0; i < 2; i++) {
        x86_outb(cmd[i], 0x11);            /* ICW1: initialise, ICW4 follows */
        x86_outb(data[i], base[i]);        /* ICW2: vector base */
        x86_outb(data[i], i == 0 ? 4 : 2); /* ICW3: cascade wiring */
        x86_outb(data[i], 0x01);           /* ICW4: 8086 mode */
        x86_outb(data[i], 0xff);           /* mask every line */
    }
}

void lapic_init(void)
{
    uint64_t base = x86_rdmsr(MSR_APIC_BASE);
    x2apic = cpu_has_x2apic();
    /* Enabled first, then x2APIC: the SDM forbids going to x2APIC from disabled. */
    x86_wrmsr(MSR_APIC_BASE, base | APIC_BASE_ENABLE);
    if (x2apic)
        x86_wrmsr(MSR_APIC_BASE, base | APIC_BASE_ENABLE | APIC_BASE_X2APIC);
    else
        regs = arch_phys_to_virt(base & ~0xfffull);
    wr(REG_SVR, 0x100 | VEC_SPURIOUS); /* software enable */
    wr(REG_TIMER_DIV, 0x3);            /* divide by 16 */
    wr(REG_LVT_TIMER, LVT_MASKED);
}

void lapic_eoi(void) { wr(REG_EOI, 0); }

uint32_t lapic_id(void) { return x2apic ? rd(REG_ID) : rd(REG_ID) >> 24; }

bool lapic_x2apic(void) { return x2apic; }

/* PIT channel 2, gated through port 0x61, counts 1193182 Hz. */
#define PIT_HZ       1193182u
#define CALIBRATE_MS 20u

void lapic_calibrate(uint64_t *lapic_hz, uint64_t *tsc_hz)
{
    uint16_t count = (uint16_t)(PIT_HZ * CALIBRATE_MS / 1000);
    x86_outb(0x61, (x86_inb(0x61) & ~0x02) | 0x01); /* gate on, speaker off */
    x86_outb(0x43, 0xb0);                           /* channel 2, lo/hi, mode 0 */
    x86_outb(0x42, count & 0xff);
    x86_outb(0x42, count >> 8);
    uint8_t gate = x86_inb(0x61);
    x86_outb(0x61, gate & ~0x01); /* restart the count by toggling the gate */
    x86_outb(0x61, gate | 0x01);
    wr(REG_TIMER_INIT, 0xffffffff);
    uint64_t tsc0 = x86_rdtsc();
    while (!(x86_inb(0x61) & 0x20))
        x86_pause();
    uint64_t tsc1 = x86_rdtsc();
    uint32_t elapsed = 0xffffffff - rd(REG_TIMER_COUNT);
    wr(REG_TIMER_INIT, 0);
    *lapic_hz = (uint64_t)elapsed * 1000 / CALIBRATE_MS;
    *tsc_hz = (tsc1 - tsc0) * 1000 / CALIBRATE_MS;
}

void lapic_timer_periodic(uint64_t hz, uint32_t per_second)
{
    uint64_t initial = hz / per_second;
    if (initial == 0)
        initial = 1;
    if (initial > 0xffffffff)
        initial = 0xffffffff;
    wr(REG_LVT_TIMER, VEC_TIMER | TIMER_PERIODIC);
    wr(REG_TIMER_INIT, (uint32_t)initial);
}

static void icr_send(uint32_t apic_id, uint32_t lo)
{
    if (x2apic) { /* one write, and no delivery status to wait on */
        x86_wrmsr(MSR_X2APIC_ICR, (uint64_t)apic_id << 32 | lo);
        return;
    }
    wr(REG_ICR_HI, apic_id << 24);
    wr(REG_ICR_LO, lo);
    for (int spin = 0; spin < 1000000 && (rd(REG_ICR_LO) & (1u << 12)); spin++)
        x86_pause(); /* delivery status: wait until sent */
}

void lapic_send_init(uint32_t apic_id) { icr_send(apic_id, 0x00004500); }

void lapic_send_sipi(uint32_t apic_id, uint8_t vector) { icr_send(apic_id, 0x00004600 | vector); }

void lapic_send_ipi(uint32_t apic_id, uint8_t vector) { icr_send(apic_id, 0x00004000 | vector); }
