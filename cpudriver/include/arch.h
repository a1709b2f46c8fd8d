/* arch.h — what the common CPU driver code asks of the architecture. Each
 * cpudriver/arch/<arch>/ implements all of it; common code never uses #ifdef. */
#ifndef ARCH_H
#define ARCH_H

#include "kernel.h"
#include <dev_abi.h>

struct core_boot;
struct dispatcher;
struct regs;

/* This core's CPU state: descriptor tables, traps, system-call entry, timer chip. */
void arch_core_init(void);
/* Boot core: finds the other cores and the timer rate; fills the boot info. */
void arch_boot_core_discover(void);
/* Starts this core's periodic timer (TIMESLICE_HZ). */
void arch_timer_start(void);

/* The physical-memory window every core maps: phys p is at arch_phys_to_virt(p). */
void *arch_phys_to_virt(paddr_t p);

/* Console output of the hardware UART; only the console path calls it. */
void arch_serial_write(const char *s, size_t len);

/* Ends the whole system: status 0 powers off cleanly, anything else reports a
 * failure to the host (QEMU exits non-zero). */
NORETURN void arch_system_exit(int status);

/* Halts this core for good, interrupts off. */
NORETURN void arch_halt(void);

/* Waits for the next interrupt with interrupts enabled, then returns. */
void arch_wait_for_interrupt(void);

/* This core's kernel stack, [lo, hi): where a kernel backtrace may read. */
void arch_kernel_stack(lvaddr_t *lo, lvaddr_t *hi);

/* The time since boot in nanoseconds (monotonic, per core). */
uint64_t arch_now_ns(void);

/* Address spaces of user domains. arch_vspace_map maps a frame the domain owns
 * (freed with it); arch_vspace_map_device maps memory a capability names
 * (never freed here; uncached for device registers). */
MUST_CHECK err_t arch_vspace_create(struct dispatcher *d);
MUST_CHECK err_t arch_vspace_map(struct dispatcher *d, uvaddr_t va, paddr_t pa, bool writable,
                                 bool executable);
MUST_CHECK err_t arch_vspace_map_device(struct dispatcher *d, uvaddr_t va, paddr_t pa,
                                        bool writable, bool uncached);
void arch_vspace_unmap(struct dispatcher *d, uvaddr_t va, uint64_t bytes);
/* The physical address behind a user address if it is mapped user-accessible
 * (and writable, if asked); ERR_FAULT otherwise. */
/* Instruction fetch on this core sees what was written to memory before. */
void arch_sync_icache(void);
MUST_CHECK err_t arch_vspace_lookup(struct dispatcher *d, uvaddr_t va, bool write, paddr_t *pa);
void arch_vspace_destroy(struct dispatcher *d);

/* Sets the registers a new domain starts with. */
void arch_regs_init(struct regs *r, uvaddr_t entry, uvaddr_t stack_top, uint64_t arg0,
                    uint64_t arg1);

/* Leaves the kernel and runs d from its saved registers. Never returns: the
 * next kernel entry starts on a fresh kernel stack. */
NORETURN void arch_resume(struct dispatcher *d);

/* Whether [base, base + size) is device memory the direct map covers (and no
 * RAM), which a monitor may make a DevFrame capability of. */
bool arch_device_range(paddr_t base, uint64_t size);
/* Whether irq names an interrupt line a driver could be given (x86-64: an
 * IOAPIC pin; RISC-V: a PLIC source). */
bool arch_irq_valid(uint64_t irq);
/* Interrupt lines bound to drivers (irq.c keeps the bindings). The shared
 * interrupt controller is programmed by the boot core alone: route sends
 * line's interrupts to core (x86-64: the I/O APIC entry's destination;
 * RISC-V: the source's priority, once its core's context has enabled it);
 * unroute stops them. Every other call touches only this core's own interrupt
 * hardware (its LAPIC, its PLIC context): bind_local readies this core for a
 * line; when one arrives the arch calls irq_raised(line), and the line stays
 * quiet until arch_irq_ack; unbind_local lets go of it here, and forget ends
 * what is left of it here once it is unrouted. */
MUST_CHECK err_t arch_irq_route(uint64_t line, coreid_t core);
void arch_irq_unroute(uint64_t line);
MUST_CHECK err_t arch_irq_bind_local(uint64_t line);
void arch_irq_unbind_local(uint64_t line, bool in_service);
void arch_irq_ack(uint64_t line);
void arch_irq_forget(uint64_t line);
/* The console UART, for its user-mode driver; false if there is none. */
bool arch_console_device(struct console_device *out);
/* x86 I/O ports: whether [base, base + count) may be given to a driver, and
 * access to one port (width 1, 2 or 4); false where there are no I/O ports. */
bool arch_ioport_range(uint64_t base, uint64_t count);
bool arch_io_in(uint16_t port, unsigned width, uint32_t *value);
bool arch_io_out(uint16_t port, unsigned width, uint32_t value);
/* The index-th device register page the boot found (for monitors); false
 * past the last. */
bool arch_device_page(unsigned index, paddr_t *base, const char **name);

/* Interrupts core's CPU driver so that its waiting dispatchers run again. */
void arch_send_wake(coreid_t core);
/* Boot core: how many bytes one core's private region (.data/.bss copy and its
 * page tables) takes, and laying it out at base for cb's core; 0 on failure,
 * else the region's end. */
uint64_t arch_core_region_bytes(void);
paddr_t arch_core_region_build(paddr_t base, struct core_boot *cb);
/* Boot core: starts the core that cb (complete) describes and waits for it. */
MUST_CHECK err_t arch_start_core(const struct core_boot *cb);

/* Sets the return values of the system call d made. */
void arch_set_syscall_result(struct regs *r, err_t err, uint64_t value);

#endif
