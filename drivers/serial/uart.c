/* uart.c — the 16550's registers (see uart.h). Output waits for room in the
 * transmit FIFO once per 16 bytes rather than once per byte: on x86 every
 * register access is a system call. */
#include "uart.h"

#include <sys.h>

enum {
    RBR = 0, /* receive buffer (read), THR transmit (write) */
    IER = 1,
    FCR = 2,
    LCR = 3,
    MCR = 4,
    LSR = 5,
};

#define LSR_DATA 0x01
#define LSR_THRE 0x20 /* the transmit FIFO is empty */
#define LSR_TEMT 0x40 /* ... and so is the shift register */
#define IER_RX   0x01
/* FIFOs on, the transmit side cleared (typed-ahead input stays); an interrupt
 * for every byte. */
#define FCR_RESET  0x05
#define MCR_OUT2   0x0b /* DTR, RTS, and OUT2 (gates the interrupt on PCs) */
#define TX_FIFO    16
#define TX_WAIT_NS 1000000000ull

static uint8_t get(struct uart *u, unsigned reg)
{
    if (u->access == DEV_MMIO)
        return u->mmio[reg << u->reg_shift];
    uint32_t v = 0;
    (void)io_in(u->ioport, u->port + reg, 1, &v);
    return (uint8_t)v;
}

static void put(struct uart *u, unsigned reg, uint8_t v)
{
    if (u->access == DEV_MMIO)
        u->mmio[reg << u->reg_shift] = v;
    else
        (void)io_out(u->ioport, u->port + reg, 1, v);
}

void uart_init(struct uart *u)
{
    put(u, FCR, FCR_RESET);
    put(u, MCR, MCR_OUT2);
    put(u, IER, IER_RX);
}

bool uart_getc(struct uart *u, char *c)
{
    if (!(get(u, LSR) & LSR_DATA))
        return false;
    *c = (char)get(u, RBR);
    return true;
}

/* Waits for an LSR bit, for a second at most (a UART that never gets there
 * must not stop the console). */
static void wait_for(struct uart *u, uint8_t bit)
{
    if (get(u, LSR) & bit)
        return;
    uint64_t deadline = sys_now_ns() + TX_WAIT_NS;
    while (!(get(u, LSR) & bit) && sys_now_ns() < deadline)
        ;
}

void uart_drain(struct uart *u) { wait_for(u, LSR_TEMT); }

void uart_write(struct uart *u, const char *s, size_t len)
{
    unsigned room = 0;
    for (size_t i = 0; i < len; i++) {
        bool crlf = s[i] == '\n';
        if (room < (crlf ? 2u : 1u)) {
            wait_for(u, LSR_THRE);
            room = TX_FIFO;
        }
        if (crlf) {
            put(u, RBR, '\r');
            room--;
        }
        put(u, RBR, (uint8_t)s[i]);
        room--;
    }
}
