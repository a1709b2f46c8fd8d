/* serial.h — the console driver's parts (drivers/serial). */
#ifndef SERIAL_H
#define SERIAL_H

#include "ldisc.h"
#include "uart.h"

#include <proto/console.h>
#include <server.h>

struct serial {
    struct uart uart;
    struct ldisc ld;
    uint32_t irq_line;
    uint64_t base;         /* the registers' port or physical address, for messages */
    unsigned dropped_said; /* lost input lines already reported */
};

extern struct serial serial;

/* main.c: writes out what the kernel has logged. */
void serial_drain_log(void);
/* main.c: the interrupt and the log's notification bits. */
void serial_notified(struct srv *s, uint64_t bits);

/* clients.c: the console's protocol on the server skeleton. */
extern struct srv console_srv;
/* Answers waiting readers while there is finished input. */
void clients_serve_readers(struct srv *s);
/* Ctrl-C: SIGINT to the foreground process through PM, or with none, an
 * empty line for the reader. */
void clients_interrupt(void);

/* writes.c: whether seq is the last write c's process had written (0 never
 * is); recording it once written; forgetting a process that ended. */
bool writes_done(const struct srv_client *c, uint64_t seq);
void writes_record(const struct srv_client *c, uint64_t seq);
void writes_ended(struct srv *s, unsigned core, uint32_t domain);

#endif
