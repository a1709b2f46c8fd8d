/* serial.h — the console driver's parts (drivers/serial). */
#ifndef SERIAL_H
#define SERIAL_H

#include "ldisc.h"
#include "uart.h"

#include <chan.h>
#include <proto/console.h>
#include <proto/ns.h>

struct serial {
    struct uart uart;
    struct ldisc ld;
    uint32_t irq_line;
    uint64_t base;         /* the registers' port or physical address, for messages */
    struct chanset set;    /* the clients' channels */
    int32_t foreground;    /* the pid Ctrl-C interrupts; 0: none */
    unsigned dropped_said; /* lost input lines already reported */
};

extern struct serial serial;

/* main.c: writes out what the kernel has logged. */
void serial_drain_log(void);

/* clients.c: the console's clients, each on a channel of its own. */
/* The slot the next client's channel frame lands in (0: no room). */
capaddr_t clients_take_slot(void);
void clients_accept(const msg_t *connected, capaddr_t slot);
/* A client's process ended (NS_DISCONNECTED): its channels go. */
void clients_disconnected(const msg_t *disconnected);
void clients_handle(struct chan *from, const msg_t *m);
/* Answers waiting readers while there is finished input. */
void clients_serve_readers(void);
/* Ctrl-C: SIGINT to the foreground process through PM, or with none, an
 * empty line for the reader. */
void clients_interrupt(void);
/* The kernel has logged lines: out with them, unless a client's write is half
 * done (then once it ends, or its writer does). */
void clients_log_ready(void);

#endif
