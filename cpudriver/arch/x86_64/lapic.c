/* lapic.c — this core's local APIC (xAPIC, MMIO: TCG has no x2APIC): timer,
 * end of interrupt, and the IPIs that start other cores. The timer's rate is
 * measured once on the boot core against the PIT; every core's LAPIC timer runs
 * from the same bus clock, so the others reuse the figure. */
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

static volatile uint32_t *regs;

static uint32_t rd(uint32_t reg) { return regs[reg / 4]; }
static void wr(uint32_t reg, uint32_t v) { regs[reg / 4] = v; }

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
    x86_wrmsr(MSR_APIC_BASE, base | (1u << 11)); /* globally enabled */
    regs = arch_phys_to_virt(base & ~0xfffull);
    wr(REG_SVR, 0x100 | VEC_SPURIOUS); /* software enable */
    wr(REG_TIMER_DIV, 0x3);            /* divide by 16 */
    wr(REG_LVT_TIMER, LVT_MASKED);
}

void lapic_eoi(void) { wr(REG_EOI, 0); }

uint32_t lapic_id(void) { return rd(REG_ID) >> 24; }

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
    wr(REG_ICR_HI, apic_id << 24);
    wr(REG_ICR_LO, lo);
    for (int spin = 0; spin < 1000000 && (rd(REG_ICR_LO) & (1u << 12)); spin++)
        x86_pause(); /* delivery status: wait until sent */
}

void lapic_send_init(uint32_t apic_id) { icr_send(apic_id, 0x00004500); }

void lapic_send_sipi(uint32_t apic_id, uint8_t vector) { icr_send(apic_id, 0x00004600 | vector); }

void lapic_send_ipi(uint32_t apic_id, uint8_t vector) { icr_send(apic_id, 0x00004000 | vector); }
