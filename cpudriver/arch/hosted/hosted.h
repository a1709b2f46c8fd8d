/* hosted.h — what the hosted CPU driver's files share. One Linux process
 * plays one core's CPU driver; the machine's memory is a memory file every
 * core's process maps whole. */
#ifndef HOSTED_H
#define HOSTED_H

#include <arch/hosted_abi.h>
#include <bootinfo.h>
#include <dispatch.h>
#include <kernel.h>
#include <sys/types.h>

/* main.c: the memory file and where this process maps it. */
extern int hosted_ram_fd;
extern uint8_t *hosted_ram;
extern uint64_t hosted_ram_bytes;

struct hosted_machine *hosted_machine(void);
struct hosted_doorbell *hosted_doorbell(coreid_t core);

/* Adds one to core's doorbell and wakes its kernel if it sleeps. */
void hosted_ring(coreid_t core);

/* The path of a program built beside this one (hostdom, the CPU driver). */
const char *hosted_sibling(const char *name);

/* loop.c: runs kernel_main(cb), then this core's event loop, for good. */
NORETURN void hosted_run(const struct core_boot *cb);
/* A child process ended (SIGCHLD): the loop reaps it. */
void hosted_child_ended(void);
/* Ends d's process, if it has one. */
void hosted_domain_end(struct dispatcher *d);
/* Tells d's process that [va, va + bytes) is no longer mapped. */
void hosted_domain_unmapped(struct dispatcher *d, uvaddr_t va, uint64_t bytes);
/* vspace.c: the mapping at va of d, for its process: memory (the run of
 * pages from va's on that are mapped alike, within one table), a device
 * register (*pa is its address), or none for this access. */
enum hosted_extent { EXTENT_NONE, EXTENT_MEMORY, EXTENT_DEVICE };
enum hosted_extent hosted_vspace_extent(struct dispatcher *d, uvaddr_t va, bool write,
                                        uvaddr_t *start, paddr_t *pa, uint64_t *bytes, int *prot);

/* vdisk.c: the disks, virtio-mmio block devices over image files. */
#define VDISK_MAX 8
#define VDISK_IRQ 5 /* disk i's interrupt line is VDISK_IRQ + i */
/* Boot core: disk i is the image at path; false (and why) if it cannot be. */
bool vdisk_attach(unsigned i, const char *path);
/* Boot core: the disks as the bus regions of the boot info. */
void vdisk_describe(struct boot_info *info);
bool hosted_device_page(paddr_t pa);
/* A register access: a load's value, or the store done. False if pa is no
 * register this access may reach. */
bool vdisk_access(paddr_t pa, unsigned bytes, bool store, uint64_t *value);
bool vdisk_line(uint64_t line);
err_t vdisk_route(uint64_t line, coreid_t core);
void vdisk_line_done(uint64_t line); /* acknowledged, bound afresh or let go */
void vdisk_poll(void);               /* raise the lines of disks routed here */

/* alive.c: SIGUSR2 asks each core for a line of how many requests it served
 * since the last ask, straight to standard output. */
void hosted_alive_start(void);
void hosted_alive_core(coreid_t core, pid_t pid); /* the boot core: core's process */
void hosted_alive_served(void);
void hosted_alive_poll(void); /* the loop: says the line if asked */

/* uart.c: COM1 over this process's standard input and output (core 0). */
void uart_start(void);
void uart_poll(void);  /* input waiting and a receiver bound: raise its line */
void uart_flush(void); /* what was written goes out */
void uart_restore_terminal(void);
bool uart_io_in(uint16_t port, uint32_t *value);
bool uart_io_out(uint16_t port, uint32_t value);
void uart_irq_done(void); /* the console line's interrupt was acknowledged */
#define UART_BASE 0x3f8
#define UART_IRQ  4

#endif
