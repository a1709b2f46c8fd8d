/* ldisc.c — the console's line discipline (see ldisc.h). */
#include "ldisc.h"

#include <string.h>

#define CTRL(c) ((c)&0x1f)
#define DEL     0x7f

void ldisc_init(struct ldisc *l) { memset(l, 0, sizeof *l); }

static void out(char *echo, size_t *n, const char *s, size_t len)
{
    if (*n + len <= LDISC_ECHO_MAX) {
        memcpy(echo + *n, s, len);
        *n += len;
    }
}

/* Moves the line being typed to the finished ones; a line that does not fit
 * is lost (and counted) rather than split. */
static void finish_line(struct ldisc *l)
{
    if (l->ready_len + l->len <= LDISC_READY_MAX) {
        memcpy(l->ready + l->ready_len, l->line, l->len);
        l->ready_len += l->len;
    } else {
        l->dropped++;
    }
    l->len = 0;
}

#define ESC 0x1b

/* Whether c belongs to an escape sequence (and is swallowed): ESC, then one
 * byte, or "[" and parameters up to a final byte in 0x40..0x7e. */
static bool in_escape(struct ldisc *l, char c)
{
    unsigned char u = (unsigned char)c;
    switch (l->escape) {
    case 1:
        l->escape = c == '[' || c == 'O' ? 2 : 0;
        return true;
    case 2:
        if (u < 0x20 || u >= 0x7f) {
            l->escape = 0; /* a control byte (Ctrl-C...) ends it and counts itself */
            return false;
        }
        if (u >= 0x40)
            l->escape = 0; /* the final byte */
        return true;
    default:
        if (c != ESC)
            return false;
        l->escape = 1;
        return true;
    }
}

unsigned ldisc_input(struct ldisc *l, char c, char *echo, size_t *echo_len)
{
    *echo_len = 0;
    if (in_escape(l, c))
        return 0;
    bool after_cr = l->after_cr;
    l->after_cr = c == '\r';
    switch (c) {
    case '\n':
        if (after_cr)
            return 0; /* the second half of a CR LF */
        /* fall through */
    case '\r':
        l->line[l->len++] = '\n';     /* there is always room for it: see below */
        out(echo, echo_len, "\n", 1); /* the UART side makes it CR LF */
        finish_line(l);
        return 0;
    case '\b':
    case DEL:
        if (l->len > 0) {
            l->len--;
            out(echo, echo_len, "\b \b", 3);
        }
        return 0;
    case CTRL('U'):
        for (; l->len > 0; l->len--)
            out(echo, echo_len, "\b \b", 3);
        return 0;
    case CTRL('C'):
        l->len = 0;
        out(echo, echo_len, "^C\n", 3);
        return LDISC_INTR;
    case CTRL('D'):
        if (l->len == 0)
            l->eofs++;
        else
            finish_line(l); /* what is typed so far goes to the reader as it is */
        return 0;
    default:
        break;
    }
    if ((unsigned char)c < 0x20 && c != '\t')
        return 0; /* other control characters mean nothing here */
    if (l->len >= LDISC_LINE_MAX - 1) {
        out(echo, echo_len, "\a", 1); /* full: keep the last byte for the newline */
        return 0;
    }
    l->line[l->len++] = c;
    out(echo, echo_len, &c, 1);
    return 0;
}

bool ldisc_readable(const struct ldisc *l) { return l->ready_len > 0 || l->eofs > 0; }

size_t ldisc_take(struct ldisc *l, char *buf, size_t max)
{
    if (l->ready_len == 0) {
        if (l->eofs > 0)
            l->eofs--;
        return 0;
    }
    size_t n = 0;
    while (n < max && n < l->ready_len) {
        buf[n] = l->ready[n];
        if (buf[n++] == '\n')
            break;
    }
    memmove(l->ready, l->ready + n, l->ready_len - n);
    l->ready_len -= n;
    return n;
}

void ldisc_push_newline(struct ldisc *l)
{
    if (l->ready_len < LDISC_READY_MAX)
        l->ready[l->ready_len++] = '\n';
}
