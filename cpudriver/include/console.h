/* console.h — kernel and domain console output. Output is collected a line at a
 * time per source; whole lines go to the UART on the boot core, and through the
 * kernel channel to the boot core from every other core. */
#ifndef CONSOLE_H
#define CONSOLE_H

#include "kernel.h"

#define LINEBUF_MAX 256

struct linebuf {
    size_t len;
    char buf[LINEBUF_MAX];
};

/* Appends text; each complete line (or a full buffer) is sent on. */
void linebuf_write(struct linebuf *lb, const char *s, size_t len);
/* Sends a partial line, if any. */
void linebuf_flush(struct linebuf *lb);

/* Boot core only: writes one whole line, adding the newline (to the console
 * driver's log once one has taken the UART over, klog.c). */
void console_emit(const char *line, size_t len);

/* Ends the system (arch_system_exit) after writing out what the console
 * driver has not yet collected. */
NORETURN void system_exit(int status);

#endif
