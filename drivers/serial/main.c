/* main.c — the console driver. It owns the UART through the capabilities its
 * monitor gives it (the registers, the interrupt line, the kernel's console
 * log), serves the "console" name: reads of edited lines and writes; has PM
 * interrupt the foreground process on Ctrl-C, and writes out the kernel's
 * lines. From the moment it binds the log, no CPU driver touches the UART
 * until the system ends (or this driver does).
 *
 * It prints its own messages with SYS_PRINT: they come back to it through the
 * log, in order with the kernel's. */
#include "serial.h"

#include <lmp.h>
#include <slot_alloc.h>
#include <string.h>
#include <sys.h>
#include <va_layout.h>

#define NOTIFY_IRQ (1ull << 0)
#define NOTIFY_LOG (1ull << 1)

struct serial serial;
static capaddr_t irq_cap, regs_cap, klog_cap;
/* The endpoint interrupts and the log notify: bound before the name (and
 * s->ep) exists. Notifications reach the domain whichever endpoint names it. */
static capaddr_t notify_ep;

/* Asks the monitor for the console's capability number index, into a slot
 * of its own. */
static err_t device_cap(uint32_t index, capaddr_t *slot, struct ns_device_cap *got)
{
    msg_t m = MSG(NS_DEVICE), r;
    struct ns_device *req = msg_payload(&m, struct ns_device);
    strcpy(req->name, "console");
    req->index = index;
    err_t err = slot_alloc(slot);
    if (err != OK)
        return err;
    err = lmp_call(CAP_SLOT_MONITOR, &m, &r, 0, *slot);
    if (err == OK)
        err = (err_t)r.type;
    if (err == OK)
        *got = *msg_payload_const(&r, struct ns_device_cap);
    return err;
}

static err_t take_device(void)
{
    struct ns_device_cap irq, regs, log;
    err_t err = device_cap(0, &irq_cap, &irq);
    if (err == OK)
        err = device_cap(1, &regs_cap, &regs);
    if (err == OK)
        err = device_cap(2, &klog_cap, &log);
    if (err != OK)
        return err;
    struct uart *u = &serial.uart;
    u->access = regs.dev.access;
    u->reg_shift = regs.dev.reg_shift;
    if (regs.cap_type == CAP_IOPORT) {
        u->ioport = regs_cap;
        u->port = (unsigned)regs.dev.base;
    } else {
        uintptr_t va;
        if ((err = va_alloc(VA_PAGE, &va)) != OK || (err = frame_map(regs_cap, va, 1)) != OK)
            return err;
        u->mmio = (volatile uint8_t *)(va + (regs.dev.base & 0xfff));
    }
    serial.irq_line = irq.dev.irq;
    serial.base = regs.dev.base;
    return OK;
}

/* Everything the kernel has logged, out to the UART. */
void serial_drain_log(void)
{
    char buf[512];
    size_t n;
    while (klog_read(klog_cap, buf, sizeof buf, &n) == OK && n > 0)
        uart_write(&serial.uart, buf, n);
}

/* Every byte the UART has received, through the line discipline. */
static void drain_input(struct srv *s)
{
    char c;
    while (uart_getc(&serial.uart, &c)) {
        char echo[LDISC_ECHO_MAX];
        size_t n;
        unsigned events = ldisc_input(&serial.ld, c, echo, &n);
        uart_write(&serial.uart, echo, n);
        if (events & LDISC_INTR)
            clients_interrupt();
    }
    clients_serve_readers(s);
    if (serial.ld.dropped > serial.dropped_said) {
        sys_printf("serial: %u typed lines lost: nobody read them\n",
                   serial.ld.dropped - serial.dropped_said);
        serial.dropped_said = serial.ld.dropped;
    }
}

void serial_notified(struct srv *s, uint64_t bits)
{
    if (bits & NOTIFY_LOG)
        serial_drain_log(); /* between requests: never inside a client's write */
    if (bits & NOTIFY_IRQ) {
        drain_input(s);
        (void)irq_ack(irq_cap);
        drain_input(s); /* a byte that came before the ack raised no new edge */
    }
}

int main(void)
{
    err_t err = take_device();
    if (err == OK)
        err = slot_alloc(&notify_ep);
    if (err == OK)
        err = ep_mint(2, notify_ep);
    if (err == OK)
        err = irq_bind(irq_cap, notify_ep, NOTIFY_IRQ);
    if (err != OK) {
        sys_printf("serial: cannot take the console: %s\n", err_str(err));
        return 1;
    }
    ldisc_init(&serial.ld);
    drain_input(&console_srv); /* typed ahead: a FIFO switched on or off is emptied */
    uart_init(&serial.uart);
    if ((err = klog_bind(klog_cap, notify_ep, NOTIFY_LOG)) != OK) {
        sys_printf("serial: cannot take the kernel's console log: %s\n", err_str(err));
        return 1;
    }
    sys_printf("serial: console on %s 0x%lx, interrupt line %u; the kernel's lines come through "
               "here now\n",
               serial.uart.access == DEV_IOPORT ? "I/O port" : "MMIO", (unsigned long)serial.base,
               serial.irq_line);
    if ((err = srv_start(&console_srv)) != OK) {
        sys_printf("serial: cannot register %s: %s\n", CONSOLE_NAME, err_str(err));
        return 1;
    }
    serial_drain_log();
    drain_input(&console_srv);
    srv_run(&console_srv);
}
