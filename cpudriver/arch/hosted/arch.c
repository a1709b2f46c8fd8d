/* arch.c — the rest of arch.h for the hosted platform: time, start registers
 * and results, the exit, and the one device (COM1, uart.c). */
#include <arch.h>
#include <arch/layout.h>
#include <bootinfo.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "hosted.h"

/* backtrace.c names the kernel's text by these; a hosted kernel's own frames
 * are Linux's to show (gdb), so the range is empty. */
char __text_start[1], __text_end[1];

void *arch_phys_to_virt(paddr_t p) { return hosted_ram + p; }

void arch_core_init(void) {}
void arch_boot_core_discover(void) {}
void arch_timer_start(void) {}

uint64_t arch_now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec - boot_info()->arch.boot_ns;
}

void arch_kernel_stack(lvaddr_t *lo, lvaddr_t *hi) { *lo = *hi = 0; }

NORETURN void arch_system_exit(int status)
{
    if (boot_self()->id == 0) {
        uart_restore_terminal();
        _exit(status); /* every other process of the machine follows (PDEATHSIG) */
    }
    struct hosted_machine *m = hosted_machine();
    m->exit_status = status;
    __atomic_store_n(&m->exit_requested, 1, __ATOMIC_RELEASE);
    hosted_ring(0);
    for (;;)
        pause();
}

NORETURN void arch_halt(void)
{
    for (;;)
        pause();
}

void arch_regs_init(struct regs *r, uvaddr_t entry, uvaddr_t stack_top, uint64_t arg0,
                    uint64_t arg1)
{
    *r = (struct regs){.rip = entry, .rsp = stack_top - 8, .rdi = arg0, .rsi = arg1};
}

void arch_set_syscall_result(struct regs *r, err_t err, uint64_t value)
{
    r->rax = (uint64_t)err;
    r->rdx = value;
}

/* The loader maps what the kernel wrote, from the same memory file. */
void arch_sync_icache(void) {}

bool arch_device_range(paddr_t base, uint64_t size)
{
    (void)base, (void)size;
    return false;
}

bool arch_device_page(unsigned index, paddr_t *base, const char **name)
{
    (void)index, (void)base, (void)name;
    return false;
}

bool arch_console_device(struct console_device *out)
{
    *out = (struct console_device){
        .access = DEV_IOPORT, .base = UART_BASE, .size = 8, .irq = UART_IRQ};
    return true;
}

/* COM1 is on core 0's process, which owns the terminal. */
bool arch_ioport_range(uint64_t base, uint64_t count)
{
    return count != 0 && base >= UART_BASE && count <= 8 && base + count <= UART_BASE + 8;
}

bool arch_io_in(uint16_t port, unsigned width, uint32_t *value)
{
    if (boot_self()->id != 0 || width != 1 || !arch_ioport_range(port, 1))
        return false;
    return uart_io_in(port, value);
}

bool arch_io_out(uint16_t port, unsigned width, uint32_t value)
{
    if (boot_self()->id != 0 || width != 1 || !arch_ioport_range(port, 1))
        return false;
    return uart_io_out(port, value);
}

/* The console's line, on core 0, and each disk's. */
bool arch_irq_valid(uint64_t irq) { return irq == UART_IRQ || vdisk_line(irq); }

err_t arch_irq_route(uint64_t line, coreid_t core)
{
    if (line == UART_IRQ)
        return core == 0 ? OK : ERR_INVAL;
    return vdisk_route(line, core);
}

void arch_irq_unroute(uint64_t line) { (void)line; }

static void line_done(uint64_t line)
{
    if (line == UART_IRQ)
        uart_irq_done();
    else
        vdisk_line_done(line);
}

err_t arch_irq_bind_local(uint64_t line)
{
    if (!arch_irq_valid(line) || (line == UART_IRQ && boot_self()->id != 0))
        return ERR_INVAL;
    line_done(line);
    return OK;
}

void arch_irq_unbind_local(uint64_t line, bool in_service) { (void)line, (void)in_service; }

void arch_irq_ack(uint64_t line) { line_done(line); }

void arch_irq_forget(uint64_t line) { line_done(line); }
