/* sys.h — the system calls as C functions, for user domains. Each returns the
 * kernel's err_t (and a value where there is one). */
#ifndef SYS_H
#define SYS_H

#include <cap_types.h>
#include <dev_abi.h>
#include <err.h>
#include <proc_abi.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <syscall_nums.h>

struct sys_result {
    err_t err;
    uint64_t value;
};

/* The raw call: number and up to six arguments. */
struct sys_result sys_call(uint64_t num, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
                           uint64_t a4, uint64_t a5);

err_t sys_print(const char *buf, size_t len);
void sys_yield(void);
__attribute__((noreturn)) void sys_exit(int status);
unsigned sys_core_id(void);
unsigned sys_core_count(void);
void sys_sleep_ns(uint64_t ns);
uint64_t sys_now_ns(void);
/* This domain's one alarm: once sys_now_ns() reaches at_ns, it is notified
 * with bits (a notification, as lmp_notify sends: a receive that takes
 * notifications wakes with them), once. A new alarm replaces the last; at_ns 0
 * cancels it; a time already past fires at once. ERR_INVAL for bits 0 (unless
 * cancelling). The alarm ends with the domain. */
MUST_CHECK err_t sys_alarm(uint64_t at_ns, uint64_t bits);
err_t sys_monitor_up(void);

/* Capabilities (see cap_types.h): each names a slot of the caller's own space. */
err_t cap_identify(capaddr_t slot, struct cap_info *info);
err_t cap_copy(capaddr_t from, capaddr_t to, uint32_t rights);
err_t cap_delete(capaddr_t slot);
/* Deletes what was derived from slot, on every core: if some of it was
 * exported, this core's monitor takes it back from the other cores first
 * (NS_REVOKE_WAIT), and then the revoke completes. */
err_t cap_revoke(capaddr_t slot);
/* Carves bytes (pages) of a RAM capability into a new zeroed frame; *phys gets
 * its physical address if phys is not NULL, which needs CAP_RIGHT_PHYS on the
 * RAM (a driver allowed DMA; ERR_PERM otherwise). */
err_t cap_retype(capaddr_t ram, capaddr_t to, enum cap_type type, uint64_t bytes, uint64_t *phys);
err_t frame_map(capaddr_t frame, uintptr_t va, int writable);
/* Keeps only rights (CAP_RIGHT_*) of the capability in slot; rights only go. */
err_t cap_restrict(capaddr_t slot, uint32_t rights);
/* Copies bytes at offset of frame's memory into buf, or buf into it (the
 * kernel does it: no mapping needed). ERR_RANGE past the frame's end; the
 * capability's error if it is gone or lacks the right. */
MUST_CHECK err_t frame_read(capaddr_t frame, uint64_t offset, void *buf, uint64_t bytes);
MUST_CHECK err_t frame_write(capaddr_t frame, uint64_t offset, const void *buf, uint64_t bytes);
/* A DevFrame of [offset, offset + bytes) of a DevFrame, in slot to (whole pages). */
MUST_CHECK err_t devframe_part(capaddr_t devframe, capaddr_t to, uint64_t offset, uint64_t bytes);
/* A CNode (retyped from RAM, CNODE_BYTES) becomes entry index of the caller's
 * root table: slots index * CNODE_SLOTS onwards exist from now on; *first
 * gets the first of them. The CNode's own slot is empty afterwards. */
err_t cspace_add_cnode(capaddr_t cnode, unsigned index, capaddr_t *first);
/* Monitors only (the Kernel capability). */
err_t kernel_mint_frame(capaddr_t kernel, capaddr_t to, uint64_t phys, uint64_t bytes);
/* Monitors: mark a frame of their own as exported to other cores; find the
 * next exported frame (from slot from on) that a revoke waits for (0: none). */
err_t kernel_export(capaddr_t kernel, capaddr_t frame);
err_t kernel_revoking(capaddr_t kernel, capaddr_t from, capaddr_t *slot);
/* Monitors: a RAM capability of memory another core's monitor lent. */
err_t kernel_mint_ram(capaddr_t kernel, capaddr_t to, uint64_t phys, uint64_t bytes);
/* A channel frame: its holder may wake wake_core (chan_wake) when it sends. */
err_t kernel_mint_channel(capaddr_t kernel, capaddr_t to, uint64_t phys, uint64_t bytes,
                          unsigned wake_core);
err_t chan_wake(capaddr_t frame);
/* Monitors: a device register page the boot found (index from 0), its name,
 * and a DevFrame capability of device memory. */
err_t kernel_device(capaddr_t kernel, unsigned index, uint64_t *phys, char *name, size_t cap);
err_t kernel_mint_device(capaddr_t kernel, capaddr_t to, uint64_t phys, uint64_t bytes);
/* Monitors: an IRQ capability for interrupt line irq. */
err_t kernel_mint_irq(capaddr_t kernel, capaddr_t to, unsigned irq);
/* Monitors: start module (a boot-archive name) on this core with the argv and
 * environment of blob (a struct spawn_blob; NULL, 0: just the name as argv[0]);
 * *id its domain. */
err_t kernel_spawn(capaddr_t kernel, const char *module, const void *blob, size_t blob_bytes,
                   uint32_t *id);
/* Monitors: start a program from a file: frame holds its struct spawn_blob in
 * the first SPAWN_BLOB_MAX bytes and its ELF image after them; it is named
 * module. */
err_t kernel_spawn_frame(capaddr_t kernel, const char *module, capaddr_t frame, uint32_t *id);
/* Monitors: up to max records of domains of this core that ended. */
err_t kernel_reap(capaddr_t kernel, struct death_record *out, unsigned max, unsigned *count);
/* Monitors: end a domain of this core as if by signal. */
err_t kernel_kill(capaddr_t kernel, uint32_t domain, unsigned signal);
/* Monitor 0: power the machine off; the run ends with status. */
err_t kernel_poweroff(capaddr_t kernel, int status);
/* Monitors: a read-only frame of the boot archive in slot to, and its size. */
err_t kernel_archive(capaddr_t kernel, capaddr_t to, uint64_t *bytes);
/* Monitors: the console UART's registers and interrupt line. */
err_t kernel_console(capaddr_t kernel, struct console_device *out);
/* Monitors: where devices are to be found, index from 0 until ERR_NOENT. */
err_t kernel_bus(capaddr_t kernel, unsigned index, struct bus_region *out);
/* Monitors: an I/O-port capability (x86) and the boot core's console log. */
err_t kernel_mint_ioport(capaddr_t kernel, capaddr_t to, unsigned base, unsigned count);
err_t kernel_mint_klog(capaddr_t kernel, capaddr_t to);
/* Monitors: a CAP_DEBUG, for the fault injector (cpudriver/debug.c), and
 * marking a domain of this core one whose image such a holder may write. */
err_t kernel_mint_debug(capaddr_t kernel, capaddr_t to);
err_t kernel_fault_target(capaddr_t kernel, uint32_t domain);
/* A CAP_DEBUG holder: bytes of buf into the image of target domain (of this
 * core) at va; ERR_PERM if it is not a target, ERR_RANGE outside its image. */
err_t debug_write(capaddr_t debug, uint32_t domain, uint64_t va, const void *buf, size_t bytes);
/* Monitors: whether any other domain of this core holds a capability to
 * [phys, phys + bytes). */
err_t kernel_held(capaddr_t kernel, uint64_t phys, uint64_t bytes, bool *held);
err_t kernel_start_core(capaddr_t kernel, unsigned core);
err_t kernel_wake(capaddr_t kernel, unsigned core);
/* Blocks until woken (by another core's wake or this core's) or ns pass. */
void sys_wait_ns(uint64_t ns);
/* The kernel command line, NUL-terminated; its length in the result's value. */
struct sys_result sys_cmdline(char *buf, size_t cap);

/* Drivers: I/O ports of an I/O-port capability (width 1, 2 or 4 bytes). */
err_t io_in(capaddr_t ioport, unsigned port, unsigned width, uint32_t *value);
err_t io_out(capaddr_t ioport, unsigned port, unsigned width, uint32_t value);
/* Drivers: the line of an IRQ capability notifies ep (an endpoint to a domain
 * of this core) with bits; after each notification it stays quiet until
 * irq_ack. */
err_t irq_bind(capaddr_t irq, capaddr_t ep, uint64_t bits);
/* Monitors: an enum kernel_irq_op (syscall_nums.h) for line. */
err_t kernel_irq(capaddr_t kernel, unsigned op, unsigned line, unsigned core);
err_t irq_ack(capaddr_t irq);
/* The console driver: from now on the kernel's console lines wait in the log
 * and ep is notified with bits; klog_read takes up to cap bytes of them. */
err_t klog_bind(capaddr_t klog, capaddr_t ep, uint64_t bits);
err_t klog_read(capaddr_t klog, char *buf, size_t cap, size_t *got);

/* Formatted output through SYS_PRINT (see fmt.h for the conversions). */
void sys_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void sys_vprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

#endif
