/* console.c — standard input from the console driver: read() on fd 0 asks it
 * for the next piece of an edited line. Without a console driver, reading
 * stdin is the end of the file. */
#include <chan.h>
#include <errno.h>
#include <procs.h>
#include <proto/console.h>
#include <string.h>
#include <unistd.h>

#define CONS_CHAN_SLOT 38
#define CONS_CHAN_VA   0x30100000ul
#define CONS_WAIT_NS   2000000000ull

static struct chan cons;
static int state; /* 0: not tried, 1: connected, -1: there is none */

static bool connect(void)
{
    if (state == 0)
        state = chan_connect(CONSOLE_NAME, &cons, CONS_CHAN_SLOT, CONS_CHAN_VA, CONS_WAIT_NS) == OK
                    ? 1
                    : -1;
    return state == 1;
}

_READ_WRITE_RETURN_TYPE _read(int fd, void *buf, size_t len)
{
    if (fd != STDIN_FILENO) {
        errno = EBADF;
        return -1;
    }
    if (!connect())
        return 0;
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

_READ_WRITE_RETURN_TYPE read(int fd, void *buf, size_t len) __attribute__((alias("_read")));

int console_set_foreground(pid_t pid)
{
    if (!connect()) {
        errno = ENODEV;
        return -1;
    }
    msg_t m = {.type = CONS_FOREGROUND};
    msg_payload(&m, struct cons_foreground)->pid = pid;
    return chan_send(&cons, &m) == OK ? 0 : -1;
}
