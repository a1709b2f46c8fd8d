/* ldisc.h — the console's line discipline: what the user types is edited a
 * line at a time (echo, backspace, Ctrl-U) before a reader gets it; Ctrl-C
 * drops the line and asks for the foreground process to be interrupted, and
 * Ctrl-D on an empty line is the end of input for the next read. The escape
 * sequences of keys it has no use for (arrows, Home, F1...) are dropped whole
 * rather than typed as text. Pure logic,
 * no I/O: the driver feeds it bytes and writes out the echo it returns. */
#ifndef LDISC_H
#define LDISC_H

#include <stdbool.h>
#include <stddef.h>

#define LDISC_LINE_MAX  256  /* one line being typed, its newline included */
#define LDISC_READY_MAX 1024 /* finished lines no reader has taken yet */
#define LDISC_ECHO_MAX  (3 * LDISC_LINE_MAX)

#define LDISC_INTR (1u << 0) /* Ctrl-C: interrupt the foreground process */

struct ldisc {
    char line[LDISC_LINE_MAX];
    size_t len;
    char ready[LDISC_READY_MAX];
    size_t ready_len;
    unsigned eofs;    /* Ctrl-Ds on an empty line, each a read of 0 bytes */
    bool after_cr;    /* the last byte was a carriage return (a following \n is its pair) */
    unsigned escape;  /* inside a terminal's escape sequence (an arrow key): 1 after
                       * ESC, 2 inside "ESC [" until its final byte */
    unsigned dropped; /* lines lost because nobody read the finished ones */
};

void ldisc_init(struct ldisc *l);
/* Takes one input byte; what to echo goes to echo (LDISC_ECHO_MAX bytes of
 * room), its length to *echo_len. Returns LDISC_* events. */
unsigned ldisc_input(struct ldisc *l, char c, char *echo, size_t *echo_len);
/* Whether a read would be answered now (a finished line, or an end of input). */
bool ldisc_readable(const struct ldisc *l);
/* Takes up to max bytes of finished input, never past the end of a line;
 * returns how many (0: an end of input was taken). */
size_t ldisc_take(struct ldisc *l, char *buf, size_t max);
/* Ctrl-C with nobody to interrupt: an empty line for the reader instead, so a
 * shell prompts again. */
void ldisc_push_newline(struct ldisc *l);

#endif
