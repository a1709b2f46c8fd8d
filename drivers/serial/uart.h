/* uart.h — a 16550-compatible UART, through whatever capability reaches its
 * registers: I/O ports (x86) or a DevFrame mapping (RISC-V). */
#ifndef UART_H
#define UART_H

#include <cap_types.h>
#include <dev_abi.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct uart {
    uint32_t access; /* enum dev_access */
    unsigned reg_shift;
    capaddr_t ioport;       /* DEV_IOPORT */
    unsigned port;          /* DEV_IOPORT: the first register's port */
    volatile uint8_t *mmio; /* DEV_MMIO: the first register, mapped */
};

/* FIFOs on, interrupts for received bytes only. */
void uart_init(struct uart *u);
/* The next received byte, if there is one. */
bool uart_getc(struct uart *u, char *c);
/* Writes len bytes, each \n as \r\n. */
void uart_write(struct uart *u, const char *s, size_t len);
/* Waits (boundedly) until the last byte has left the transmitter. */
void uart_drain(struct uart *u);

#endif
