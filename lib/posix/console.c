/* console.c — standard input and output through the console driver: read()
 * on fd 0 asks it for the next piece of an edited line, write() on fd 1 and 2
 * hands it the bytes and returns once they are out. A process finds the driver
 * by the name in its environment (CONSOLE, which init sets once the driver is
 * up); without one, output goes through the kernel and stdin is empty. */
#include <chan.h>
#include <errno.h>
#include <procs.h>
#include <proto/console.h>
#include <stdlib.h>
#include <string.h>
#include <sys.h>
#include <unistd.h>

#define CONS_WAIT_NS 2000000000ull

static struct chan cons;
static int state; /* 0: not tried, 1: connected, -1: there is none */

int console_connect(void)
{
    if (state == 0) {
        const char *name = getenv(CONSOLE_ENV);
        state = name != NULL && chan_connect(name, &cons, CONS_WAIT_NS) == OK ? 1 : -1;
    }
    if (state == 1)
        return 0;
    errno = ENODEV;
    return -1;
}

_READ_WRITE_RETURN_TYPE _read(int fd, void *buf, size_t len)
{
    if (fd != STDIN_FILENO) {
        errno = EBADF;
        return -1;
    }
    int saved = errno;
    if (console_connect() != 0) {
        errno = saved; /* no console: the end of the file, not an error */
        return 0;
    }
    msg_t m = {.type = CONS_READ}, r;
    if (chan_call(&cons, &m, &r) != OK || r.type != 0) {
        errno = EIO;
        return -1;
    }
    const struct cons_data *d = msg_payload_const(&r, struct cons_data);
    size_t n = d->len < len ? d->len : len;
    if (n > CONS_DATA_MAX)
        n = CONS_DATA_MAX;
    memcpy(buf, d->data, n);
    return (_READ_WRITE_RETURN_TYPE)n;
}

_READ_WRITE_RETURN_TYPE _write(int fd, const void *buf, size_t len)
{
    if (fd != STDOUT_FILENO && fd != STDERR_FILENO) {
        errno = EBADF;
        return -1;
    }
    int saved = errno;
    if (console_connect() != 0) {
        errno = saved; /* no console: through the kernel */
        for (size_t done = 0; done < len; done += SYS_PRINT_MAX) {
            size_t n = len - done < SYS_PRINT_MAX ? len - done : SYS_PRINT_MAX;
            if (sys_print((const char *)buf + done, n) != OK) {
                errno = EFAULT;
                return done > 0 ? (_READ_WRITE_RETURN_TYPE)done : -1;
            }
        }
        return (_READ_WRITE_RETURN_TYPE)len;
    }
    for (size_t done = 0; done < len;) {
        msg_t m = {.type = len - done > CONS_DATA_MAX ? CONS_WRITE_MORE : CONS_WRITE}, r;
        struct cons_data *d = msg_payload(&m, struct cons_data);
        d->len = (uint32_t)(len - done < CONS_DATA_MAX ? len - done : CONS_DATA_MAX);
        memcpy(d->data, (const char *)buf + done, d->len);
        if (chan_call(&cons, &m, &r) != OK || r.type != 0) {
            errno = EIO;
            return done > 0 ? (_READ_WRITE_RETURN_TYPE)done : -1;
        }
        done += d->len;
    }
    return (_READ_WRITE_RETURN_TYPE)len;
}

_READ_WRITE_RETURN_TYPE read(int fd, void *buf, size_t len) __attribute__((alias("_read")));
_READ_WRITE_RETURN_TYPE write(int fd, const void *buf, size_t len) __attribute__((alias("_write")));

int console_sync(void)
{
    if (console_connect() != 0)
        return -1;
    msg_t m = {.type = CONS_SYNC}, r;
    if (chan_call(&cons, &m, &r) != OK || r.type != 0) {
        errno = EIO;
        return -1;
    }
    return 0;
}

int console_set_foreground(pid_t pid)
{
    if (console_connect() != 0)
        return -1;
    msg_t m = {.type = CONS_FOREGROUND};
    msg_payload(&m, struct cons_foreground)->pid = pid;
    return chan_send(&cons, &m) == OK ? 0 : -1;
}
