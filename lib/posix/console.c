/* console.c — a descriptor of the console (fds 0, 1 and 2 unless they were
 * redirected, fd.c): a read asks the console driver for the next piece of an
 * edited line, a write hands it the bytes and returns once they are out. A process finds the driver
 * by the name in its environment (CONSOLE, which init sets once the driver is
 * up); without one, output goes through the kernel and stdin is empty. A write
 * longer than a message goes through a frame granted to the driver on the
 * first such write, CONS_GRANT_MAX bytes a request.
 *
 * A driver that dies and is restarted under its name is not noticed: the call
 * connects to the new one and is sent again (redial.h), a write with the same
 * sequence number, which the driver writes only once (proto/console.h). A
 * driver that does not come back within REDIAL_WAIT_NS is taken to be gone:
 * as with none at all. */
#include "posix.h"

#include <errmap.h>
#include <errno.h>
#include <procs.h>
#include <proto/console.h>
#include <redial.h>
#include <stdlib.h>
#include <string.h>
#include <sys.h>
#include <unistd.h>

#define CONS_WAIT_NS 2000000000ull

PROTO_REDIAL_CALLS(CONS_MESSAGES)

static struct redial cons;
static int state;     /* 0: not tried, 1: connected, -1: there is none */
static uint64_t wseq; /* the last write's number */

/* The next write's number; never 0, which is no number. */
static uint64_t next_seq(void) { return ++wseq; }

/* 0, or -1 with errno for a call the driver did not do. ERR_DEAD: the
 * driver did not come back; from now on there is none. */
static int answered(err_t err)
{
    if (err == OK)
        return 0;
    if (err == ERR_DEAD) {
        redial_close(&cons);
        state = -1;
    }
    errno = errno_of(err);
    return -1;
}

int console_connect(void)
{
    if (state == 0) {
        const char *name = getenv(CONSOLE_ENV);
        state = name != NULL && redial_open(&cons, name, CONS_WAIT_NS) == OK ? 1 : -1;
    }
    if (state == 1)
        return 0;
    errno = ENODEV;
    return -1;
}

ssize_t console_read(void *buf, size_t len)
{
    int saved = errno;
    if (console_connect() != 0) {
        errno = saved; /* no console: the end of the file, not an error */
        return 0;
    }
    struct cons_data d;
    err_t err = cons_read(&cons, NULL, &d);
    if (err == ERR_DEAD) {
        (void)answered(err);
        errno = saved; /* the console is gone: the end of the file */
        return 0;
    }
    if (answered(err) != 0)
        return -1;
    size_t n = d.len < len ? d.len : len;
    if (n > CONS_DATA_MAX)
        n = CONS_DATA_MAX;
    memcpy(buf, d.data, n);
    return (ssize_t)n;
}

/* Writes the first bytes of buf, as many as one request takes (*n of them):
 * through the grant if it is long, inline if it is short or there is no
 * grant to be had (then the kernel's lines may come between its pieces). */
static err_t write_piece(const char *buf, size_t len, size_t *n)
{
    struct cons_write w = {.offset = CONS_INLINE, .seq = next_seq()};
    struct grant *bulk = &cons.grant;
    if (len > CONS_INLINE_MAX && (bulk->frame != 0 || redial_grant(&cons, CONS_GRANT_MAX) == OK)) {
        w.offset = 0;
        w.len = (uint32_t)(len < bulk->bytes ? len : bulk->bytes);
        memcpy((void *)bulk->va, buf, w.len);
        err_t err = cons_write(&cons, &w, NULL);
        if (err != ERR_NOENT) {
            *n = w.len;
            return err;
        }
        /* The driver has lost it (a revoke took it, or a new driver refused
         * it): granted again next time; this piece goes inline. */
        redial_grant_drop(&cons);
        w = (struct cons_write){.offset = CONS_INLINE, .seq = next_seq()};
    }
    w.len = (uint32_t)(len < CONS_INLINE_MAX ? len : CONS_INLINE_MAX);
    memcpy(w.data, buf, w.len);
    *n = w.len;
    return cons_write(&cons, &w, NULL);
}

/* buf's bytes from done to len through the kernel; len, or what was done. */
static ssize_t kernel_write(const void *buf, size_t done, size_t len)
{
    for (; done < len; done += SYS_PRINT_MAX) {
        size_t n = len - done < SYS_PRINT_MAX ? len - done : SYS_PRINT_MAX;
        if (sys_print((const char *)buf + done, n) != OK) {
            errno = EFAULT;
            return done > 0 ? (ssize_t)done : -1;
        }
    }
    return (ssize_t)len;
}

ssize_t console_write(const void *buf, size_t len)
{
    int saved = errno;
    if (console_connect() != 0) {
        errno = saved; /* no console: through the kernel */
        return kernel_write(buf, 0, len);
    }
    for (size_t done = 0; done < len;) {
        size_t n;
        err_t err = write_piece((const char *)buf + done, len - done, &n);
        if (err == ERR_DEAD) { /* the driver did not come back: the rest through the kernel */
            (void)answered(err);
            errno = saved;
            return kernel_write(buf, done, len);
        }
        if (answered(err) != 0)
            return done > 0 ? (ssize_t)done : -1;
        done += n;
    }
    return (ssize_t)len;
}

bool console_ready(void)
{
    int saved = errno;
    struct cons_ready got;
    bool ready = console_connect() != 0 || cons_poll(&cons, NULL, &got) != OK || got.readable;
    errno = saved; /* no console, or none now: a read returns at once (the end) */
    return ready;
}

int console_sync(void)
{
    return console_connect() != 0 ? -1 : answered(cons_sync(&cons, NULL, NULL));
}

void console_end(void) { redial_grant_drop(&cons); }
