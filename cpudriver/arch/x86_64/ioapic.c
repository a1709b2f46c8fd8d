/* ioapic.c — interrupt lines for user-mode drivers on x86-64: the first I/O
 * APIC's pins, numbered by GSI. The I/O APIC is one device shared by every
 * core, so only the boot core (core 0) ever touches its registers: it routes a
 * pin to a core's LAPIC as vector VEC_IRQ_BASE + pin when that core's monitor
 * asks through monitor 0, and masks it again on unroute. The core a line is
 * routed to handles and acks it with its own LAPIC alone (see eoi.c). */
#include <arch.h>
#include <bootinfo.h>
#include <irq.h>

#include "x86.h"

#define REG_VERSION  0x01
#define REG_REDIR    0x10 /* two 32-bit registers per pin */
#define REDIR_MASKED (1u << 16)
#define REDIR_LEVEL  (1u << 15)
#define REDIR_LOW    (1u << 13)
#define ISA_POLARITY 0x3 /* MPS INTI flags: 00 bus default, 01 high, 11 low */
#define ISA_TRIGGER  0xc /* 00 bus default, 04 edge, 0c level */
#define IOAPIC_OWNER 0

/* The index/data pair is two registers written one after the other: a second
 * core in between would redirect the first one's write. Hence one owner. */
static volatile uint32_t *ioapic(void)
{
    if (boot_self()->id != IOAPIC_OWNER)
        panic("core %u reached for the I/O APIC, which only core 0 programs", boot_self()->id);
    return arch_phys_to_virt(boot_info()->arch.ioapic_phys);
}

static uint32_t rd(uint32_t reg)
{
    volatile uint32_t *io = ioapic();
    io[0] = reg;
    return io[4]; /* the data window at offset 0x10 */
}

static void wr(uint32_t reg, uint32_t v)
{
    volatile uint32_t *io = ioapic();
    io[0] = reg;
    io[4] = v;
}

/* How a GSI is wired: the ISA default (edge, active high) unless an override
 * says otherwise; other GSIs are PCI lines (level, active low). */
static uint32_t wiring(uint32_t gsi)
{
    const struct arch_boot_info *a = &boot_info()->arch;
    for (unsigned isa = 0; isa < 16; isa++) {
        if (a->isa_gsi[isa] != gsi)
            continue;
        uint16_t f = a->isa_flags[isa];
        return ((f & ISA_POLARITY) == ISA_POLARITY ? REDIR_LOW : 0) |
               ((f & ISA_TRIGGER) == ISA_TRIGGER ? REDIR_LEVEL : 0);
    }
    return REDIR_LOW | REDIR_LEVEL;
}

bool ioapic_line_is_level(uint64_t line) { return wiring((uint32_t)line) & REDIR_LEVEL; }

/* The pin count was read once, by the boot core, into the boot info. */
static bool pin_of(uint64_t line, unsigned *pin)
{
    uint32_t base = boot_info()->arch.ioapic_gsi_base;
    if (line < base || line - base >= boot_info()->arch.ioapic_pins)
        return false;
    *pin = (unsigned)(line - base);
    return true;
}

/* Boot core, before any other core starts: every pin masked. */
void ioapic_init(struct boot_info *info)
{
    if (info->arch.ioapic_phys == 0)
        return;
    unsigned n = ((rd(REG_VERSION) >> 16) & 0xff) + 1;
    unsigned vectors = VEC_IRQ_END - VEC_IRQ_BASE;
    if (n > vectors) {
        kprintf("boot: the I/O APIC has %u pins; only the first %u have vectors\n", n, vectors);
        n = vectors;
    }
    info->arch.ioapic_pins = n;
    for (unsigned pin = 0; pin < n; pin++)
        wr(REG_REDIR + 2 * pin, REDIR_MASKED);
    kprintf("boot: I/O APIC at 0x%lx, %u pins from GSI %u\n", (unsigned long)info->arch.ioapic_phys,
            n, info->arch.ioapic_gsi_base);
}

err_t arch_irq_route(uint64_t line, coreid_t core)
{
    unsigned pin;
    if (!pin_of(line, &pin) || core >= boot_info()->core_count)
        return ERR_INVAL;
    /* A redirection entry names its core in 8 bits, and 255 is everyone: a
     * core past that needs interrupt remapping, which this kernel lacks. */
    if (boot_info()->hw_ids[core] >= 255) {
        kprintf("irq: line %lu cannot go to core %u: its APIC id %u is past the I/O APIC's "
                "reach\n",
                (unsigned long)line, core, boot_info()->hw_ids[core]);
        return ERR_RANGE;
    }
    wr(REG_REDIR + 2 * pin, REDIR_MASKED); /* never half-written while live */
    wr(REG_REDIR + 2 * pin + 1, boot_info()->hw_ids[core] << 24);
    wr(REG_REDIR + 2 * pin, wiring((uint32_t)line) | (VEC_IRQ_BASE + pin));
    return OK;
}

void arch_irq_unroute(uint64_t line)
{
    unsigned pin;
    if (pin_of(line, &pin))
        wr(REG_REDIR + 2 * pin, REDIR_MASKED);
}

bool arch_irq_valid(uint64_t irq)
{
    unsigned pin;
    return pin_of(irq, &pin);
}
