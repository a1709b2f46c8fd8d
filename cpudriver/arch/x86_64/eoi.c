/* eoi.c — this core's side of the interrupt lines routed to it: taking an
 * interrupt and ending it at this core's own LAPIC. Never touches the I/O APIC
 * (ioapic.c, the boot core's), so a driver on any core binds and acks alone.
 *
 * A level-triggered line must stay quiet from its interrupt until its driver
 * has served the device. Rather than mask the pin (an I/O APIC write), the EOI
 * is held back: until this LAPIC sends it, the I/O APIC keeps the pin's Remote
 * IRR set and does not deliver it again. The LAPIC's EOI ends the highest
 * vector in service, so EOIs go out from the top: an ack of a lower vector
 * waits for the higher ones' acks. Edge-triggered lines get their EOI at once
 * (an edge while held back would be lost; the driver re-reads its device after
 * it acks). Device vectors rank below the timer's and the IPIs' (x86.h). */
#include <arch.h>
#include <bootinfo.h>
#include <irq.h>

#include "x86.h"

#define WORDS 4 /* 256 vectors */

static uint64_t in_service[WORDS]; /* level vectors taken here, EOI held back */
static uint64_t finished[WORDS];   /* ... of those, the ones whose EOI may go */

static bool has(const uint64_t *set, unsigned v) { return set[v / 64] >> (v % 64) & 1; }
static void put(uint64_t *set, unsigned v) { set[v / 64] |= 1ull << (v % 64); }
static void drop(uint64_t *set, unsigned v) { set[v / 64] &= ~(1ull << (v % 64)); }

static int highest(const uint64_t *set)
{
    for (int w = WORDS - 1; w >= 0; w--) {
        if (set[w] != 0)
            return w * 64 + 63 - __builtin_clzll(set[w]);
    }
    return -1;
}

/* Sends the EOIs that may go, highest vector first, as the LAPIC ends them. */
static void eoi_from_the_top(void)
{
    int v;
    while ((v = highest(in_service)) >= 0 && has(finished, (unsigned)v)) {
        lapic_eoi();
        drop(in_service, (unsigned)v);
        drop(finished, (unsigned)v);
    }
}

static bool vector_of(uint64_t line, unsigned *v)
{
    if (!arch_irq_valid(line))
        return false;
    *v = VEC_IRQ_BASE + (unsigned)(line - boot_info()->arch.ioapic_gsi_base);
    return true;
}

static void finish(uint64_t line)
{
    unsigned v;
    if (vector_of(line, &v) && has(in_service, v)) {
        put(finished, v);
        eoi_from_the_top();
    }
}

/* An interrupt on vector VEC_IRQ_BASE + pin (x86_trap). A level line that no
 * driver here has bound stays in service, quiet, until arch_irq_forget. */
void ioapic_interrupt(unsigned pin)
{
    uint64_t line = boot_info()->arch.ioapic_gsi_base + pin;
    if (ioapic_line_is_level(line))
        put(in_service, VEC_IRQ_BASE + pin);
    else
        lapic_eoi();
    (void)irq_raised(line);
}

err_t arch_irq_bind_local(uint64_t line)
{
    if (!arch_irq_valid(line))
        return ERR_INVAL;
    finish(line); /* left from a driver before: the new one starts clean */
    return OK;
}

void arch_irq_unbind_local(uint64_t line, bool in_service_now)
{
    /* Held until the line is unrouted (arch_irq_forget): ended now, a level
     * line whose device still asserts it would come straight back. */
    (void)line, (void)in_service_now;
}

void arch_irq_ack(uint64_t line) { finish(line); }

void arch_irq_forget(uint64_t line) { finish(line); }
