/* plic.c — interrupt lines for user-mode drivers on RISC-V: PLIC sources.
 * Each core claims from its own hart's supervisor context (from the device
 * tree): its enable bits, threshold and claim/complete register are that
 * context's alone, written by that core only. A bound source is enabled only in
 * the binding core's context; a claimed source is completed when its driver
 * acks, and the PLIC delivers it no more until then, which is how the line
 * stays quiet in between. The one register shared by all contexts, a source's
 * priority, is written by the boot core alone (route, unroute): a source of
 * priority 0 interrupts nobody. */
#include <arch.h>
#include <bootinfo.h>
#include <irq.h>

#include "riscv.h"

#define PLIC_PRIORITY  0x0000
#define PLIC_ENABLE    0x2000   /* + 0x80 per context: a bit per source */
#define PLIC_CONTEXT   0x200000 /* + 0x1000 per context */
#define CTX_THRESHOLD  0x0
#define CTX_CLAIM      0x4
#define PLIC_SOURCES   1024
#define SIE_SEIE       (1ull << 9)
#define IRQ_S_EXTERNAL 9

_Static_assert(sizeof(((struct arch_boot_info *)0)->plic_context) / sizeof(uint16_t) == MAX_CORES,
               "one PLIC context per core");

static volatile uint32_t *reg(uint64_t offset)
{
    return (volatile uint32_t *)((uint8_t *)arch_phys_to_virt(boot_info()->arch.plic_phys) +
                                 offset);
}

static bool my_context(uint64_t *ctx)
{
    const struct boot_info *info = boot_info();
    uint16_t c = info->arch.plic_context[boot_self()->id];
    if (info->arch.plic_phys == 0 || c == PLIC_NO_CONTEXT)
        return false;
    *ctx = c;
    return true;
}

static void set_enabled(uint64_t ctx, uint64_t src, bool on)
{
    volatile uint32_t *word = reg(PLIC_ENABLE + 0x80 * ctx + 4 * (src / 32));
    uint32_t bit = 1u << (src % 32);
    *word = on ? (*word | bit) : (*word & ~bit);
}

/* This core's context takes every priority above 0; external interrupts on. */
void plic_core_init(void)
{
    uint64_t ctx;
    if (!my_context(&ctx))
        return;
    *reg(PLIC_CONTEXT + 0x1000 * ctx + CTX_THRESHOLD) = 0;
    csr_set(sie, SIE_SEIE);
}

bool arch_irq_valid(uint64_t irq) { return irq >= 1 && irq < PLIC_SOURCES; }

err_t arch_irq_route(uint64_t line, coreid_t core)
{
    (void)core; /* the core's context enabled it: that is where it goes */
    if (!arch_irq_valid(line) || boot_info()->arch.plic_phys == 0)
        return ERR_INVAL;
    *reg(PLIC_PRIORITY + 4 * line) = 1;
    return OK;
}

void arch_irq_unroute(uint64_t line)
{
    if (arch_irq_valid(line) && boot_info()->arch.plic_phys != 0)
        *reg(PLIC_PRIORITY + 4 * line) = 0;
}

err_t arch_irq_bind_local(uint64_t line)
{
    uint64_t ctx;
    if (!arch_irq_valid(line) || !my_context(&ctx))
        return ERR_INVAL;
    set_enabled(ctx, line, true);
    return OK;
}

void arch_irq_unbind_local(uint64_t line, bool in_service)
{
    uint64_t ctx;
    if (!arch_irq_valid(line) || !my_context(&ctx))
        return;
    set_enabled(ctx, line, false);
    if (in_service) /* nothing stays claimed for a driver that is gone */
        *reg(PLIC_CONTEXT + 0x1000 * ctx + CTX_CLAIM) = (uint32_t)line;
}

void arch_irq_ack(uint64_t line)
{
    uint64_t ctx;
    if (arch_irq_valid(line) && my_context(&ctx))
        *reg(PLIC_CONTEXT + 0x1000 * ctx + CTX_CLAIM) = (uint32_t)line;
}

void arch_irq_forget(uint64_t line)
{
    (void)line; /* disabled in this context and completed at unbind already */
}

/* A supervisor external interrupt (riscv_trap): claims every pending source. */
void plic_interrupt(void)
{
    uint64_t ctx;
    if (!my_context(&ctx))
        return;
    volatile uint32_t *claim = reg(PLIC_CONTEXT + 0x1000 * ctx + CTX_CLAIM);
    for (uint32_t src; (src = *claim) != 0;) {
        if (!irq_raised(src)) {
            set_enabled(ctx, src, false); /* nobody's: keep it quiet */
            *claim = src;
        }
    }
}

/* The ns16550a the tree names, for its user-mode driver. */
bool arch_console_device(struct console_device *out)
{
    const struct arch_boot_info *a = &boot_info()->arch;
    if (a->uart_phys == 0 || a->uart_irq == 0)
        return false;
    *out = (struct console_device){.access = DEV_MMIO,
                                   .reg_shift = a->uart_reg_shift,
                                   .base = a->uart_phys,
                                   .size = 8u << a->uart_reg_shift,
                                   .irq = a->uart_irq};
    return true;
}

bool arch_ioport_range(uint64_t base, uint64_t count)
{
    (void)base, (void)count;
    return false; /* no I/O ports on RISC-V */
}

bool arch_io_in(uint16_t port, unsigned width, uint32_t *value)
{
    (void)port, (void)width, (void)value;
    return false;
}

bool arch_io_out(uint16_t port, unsigned width, uint32_t value)
{
    (void)port, (void)width, (void)value;
    return false;
}
