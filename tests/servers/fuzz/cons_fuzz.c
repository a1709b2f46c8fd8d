/* cons_fuzz.c — libFuzzer target: the console driver's handlers
 * (drivers/serial: clients.c, writes.c, the line discipline) with a UART
 * played here that takes every byte written. An event message (FUZZ_EVENT)
 * is typed: its payload's first len bytes go through the line discipline
 * as the driver's interrupt would put them, Ctrl-C included, and waiting
 * readers are answered.
 * Run: build/host-fuzz/tests/servers/fuzz/cons_fuzz -max_total_time=60 */
#include "harness.h"
#include "serial.h"

#include <stdlib.h>

struct serial serial;

void uart_init(struct uart *u) { (void)u; }

bool uart_getc(struct uart *u, char *c)
{
    (void)u, (void)c;
    return false;
}

void uart_write(struct uart *u, const char *s, size_t len)
{
    (void)u;
    for (size_t i = 0; i < len; i++)
        __asm__ volatile("" : : "r"(s[i])); /* every byte read, as the UART would */
}

void uart_drain(struct uart *u) { (void)u; }
void serial_drain_log(void) {}

void serial_notified(struct srv *s, uint64_t bits) { (void)s, (void)bits; }

static void typed(const msg_t *m)
{
    for (unsigned i = 0; i < m->len && i < MSG_PAYLOAD_SIZE; i++) {
        char echo[LDISC_ECHO_MAX];
        size_t n;
        unsigned events = ldisc_input(&serial.ld, (char)m->payload[i], echo, &n);
        uart_write(&serial.uart, echo, n);
        if (events & LDISC_INTR)
            clients_interrupt();
    }
    clients_serve_readers(&console_srv);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool started;
    if (!started) {
        ldisc_init(&serial.ld);
        started = true;
    }
    fuzz_serve_input(&(struct fuzz_server){.srv = &console_srv, .event = typed}, data, size);
    return 0;
}
