/* irq.h — interrupt lines bound to user-mode drivers, and the console log that
 * a user-mode console driver takes over from the kernel. */
#ifndef IRQ_H
#define IRQ_H

#include "cap.h"

struct dispatcher;

/* The arch saw an interrupt on line: true if a driver has it bound (it was
 * notified); false if not (the arch keeps the line quiet). */
bool irq_raised(uint64_t line);
/* Ends the drivers that took an interrupt and wait for messages without
 * having acknowledged it for too long (irq.c). */
void irq_check_acks(uint64_t now);
/* d is going away: its lines are unbound here (its monitor unroutes them). */
void irq_on_death(const struct dispatcher *d);

struct sysret_value irq_sys_bind(struct dispatcher *d, const uint64_t a[6]);
struct sysret_value irq_sys_ack(struct dispatcher *d, const uint64_t a[6]);
struct sysret_value irq_sys_kernel(struct dispatcher *d, const uint64_t a[6]);

/* klog.c: once bound, whole console lines on the boot core go to the log
 * instead of the UART: klog_put takes one (true), or says the kernel must
 * write it itself (false: nobody has taken the console over). */
bool klog_put(const char *line, size_t len);
/* The system is ending: what the driver has not read goes straight to the
 * UART, and the kernel writes it from now on. */
void klog_release(void);
/* d is going away: if it had the log, the kernel writes the UART again. */
void klog_on_death(const struct dispatcher *d);
struct sysret_value klog_sys_bind(struct dispatcher *d, const uint64_t a[6]);
struct sysret_value klog_sys_read(struct dispatcher *d, const uint64_t a[6]);

#endif
