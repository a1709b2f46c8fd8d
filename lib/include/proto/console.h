/* proto/console.h — the console driver's protocol (drivers/serial). Readers
 * get whole lines, edited and echoed by the driver's line discipline; Ctrl-C
 * sends SIGINT to the foreground process the shell named. Writers are answered
 * when their bytes are out, so nothing written is lost at power-off. */
#ifndef PROTO_CONSOLE_H
#define PROTO_CONSOLE_H

#include <msg.h>
#include <stdint.h>

#define CONSOLE_NAME "console"

enum console_msg_type {
    CONS_READ = 0x300, /* -> struct cons_data: the next bytes of input (a line at most) */
    CONS_FOREGROUND,   /* struct cons_foreground: who Ctrl-C interrupts; no answer */
    CONS_WRITE,        /* struct cons_data: output; answered once it is written */
    CONS_SYNC,         /* answered once everything so far, the kernel's lines too, is out */
    CONS_WRITE_MORE,   /* as CONS_WRITE, a piece of one write whose rest follows: the
                        * kernel's lines wait until the last piece (a CONS_WRITE) */
};

/* The environment variable init sets for the processes it starts once the
 * console driver is up: its name. Without it, output goes through the kernel
 * (SYS_PRINT) and standard input is empty. */
#define CONSOLE_ENV "CONSOLE"

#define CONS_DATA_MAX 48

struct cons_data {
    uint32_t len;
    char data[CONS_DATA_MAX];
};
MSG_PAYLOAD_FITS(struct cons_data);

struct cons_foreground {
    int32_t pid; /* 0: none */
};
MSG_PAYLOAD_FITS(struct cons_foreground);

#endif
