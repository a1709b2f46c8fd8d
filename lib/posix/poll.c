/* poll.c — waiting for any of several descriptors. Sockets are NET's to
 * judge (NET_POLL: one request for all of them, answered when one is ready);
 * a file is always ready; the console is ready when a line (or the end)
 * waits in its driver (CONS_POLL); a pipe's end is ready when FS says a read
 * or write of it would not wait (FS_POLL).
 *
 * With sockets only, the whole wait is NET's. With the console or a pipe
 * among them, no one server can wait for all: poll asks each in turn and waits in
 * slices between, NET's wait where there are sockets, a sleep otherwise,
 * starting at 1 ms and doubling to SLICE_MAX_MS, so a line typed arrives
 * within that while an idle wait costs a few requests a second. */
#include "posix.h"

#include <errno.h>
#include <poll.h>
#include <proto/net.h>
#include <proto_chan.h>
#include <stdlib.h>
#include <sys.h>
#include <sys/stat.h>

PROTO_CHAN_CALLS(FS_MESSAGES)

#define SLICE_MAX_MS 32

struct plan {
    struct socket_poll *socks; /* the sockets, in the order of fds */
    size_t nsocks;
    bool elsewhere; /* a console or pipe descriptor waits: asked again in slices */
};

static uint16_t net_events(short events)
{
    return (uint16_t)(((events & (POLLIN | POLLRDNORM)) ? NET_POLLIN : 0) |
                      ((events & (POLLOUT | POLLWRNORM)) ? NET_POLLOUT : 0));
}

static short poll_events(uint16_t revents, short asked)
{
    short r = 0;
    if (revents & NET_POLLIN)
        r |= asked & (POLLIN | POLLRDNORM);
    if (revents & NET_POLLOUT)
        r |= asked & (POLLOUT | POLLWRNORM);
    if (revents & NET_POLLERR)
        r |= POLLERR;
    if (revents & NET_POLLHUP)
        r |= POLLHUP;
    if (revents & NET_POLLNVAL)
        r |= POLLNVAL;
    return r;
}

/* What FS says of a pipe's end: ready to read (bytes, or no writer left)
 * and to write (room, or no reader left: the write fails with EPIPE). */
static short pipe_ready(const struct open_file *of, short events)
{
    struct fs_ready got;
    struct chan *c = fs_chan();
    if (c == NULL || fs_poll(c, &(struct fs_handle){of->handle}, &got) != OK)
        return POLLERR;
    short r = 0;
    if (got.readable)
        r |= events & (POLLIN | POLLRDNORM);
    if (got.writable)
        r |= events & (POLLOUT | POLLWRNORM);
    return r;
}

/* Everything but sockets, now: how many are ready. */
static int others_ready(struct pollfd *fds, nfds_t count, struct plan *plan)
{
    int ready = 0;
    plan->elsewhere = false;
    for (nfds_t i = 0; i < count; i++) {
        struct pollfd *p = &fds[i];
        if (p->fd < 0)
            continue;
        struct fd *d = fd_get(p->fd);
        if (d == NULL) {
            p->revents = POLLNVAL;
        } else if (d->kind == FD_SOCKET) {
            continue;
        } else if (d->kind == FD_CONSOLE) {
            bool in = (p->events & (POLLIN | POLLRDNORM)) && console_ready();
            p->revents = (short)((in ? p->events & (POLLIN | POLLRDNORM) : 0) |
                                 (p->events & (POLLOUT | POLLWRNORM)));
            plan->elsewhere |= (p->events & (POLLIN | POLLRDNORM)) && !in;
        } else if (S_ISFIFO(d->of->mode)) {
            p->revents = pipe_ready(d->of, p->events);
            plan->elsewhere |= p->revents == 0;
        } else {
            p->revents = p->events & (POLLIN | POLLRDNORM | POLLOUT | POLLWRNORM);
        }
        ready += p->revents != 0;
    }
    return ready;
}

/* The sockets among fds into plan; -1 with errno. */
static int sockets_of(struct pollfd *fds, nfds_t count, struct plan *plan)
{
    plan->nsocks = 0;
    for (nfds_t i = 0; i < count; i++) {
        fds[i].revents = 0;
        struct fd *d = fds[i].fd >= 0 ? fd_get(fds[i].fd) : NULL;
        if (d != NULL && d->kind == FD_SOCKET)
            plan->nsocks++;
    }
    if (plan->nsocks == 0)
        return 0;
    plan->socks = calloc(plan->nsocks, sizeof *plan->socks);
    if (plan->socks == NULL) {
        errno = ENOMEM;
        return -1;
    }
    size_t k = 0;
    for (nfds_t i = 0; i < count; i++) {
        struct fd *d = fds[i].fd >= 0 ? fd_get(fds[i].fd) : NULL;
        if (d != NULL && d->kind == FD_SOCKET)
            plan->socks[k++] = (struct socket_poll){d->of, net_events(fds[i].events), 0};
    }
    return 0;
}

/* The sockets' answers into fds: how many are ready. */
static int sockets_ready(struct pollfd *fds, nfds_t count, const struct plan *plan)
{
    int ready = 0;
    size_t k = 0;
    for (nfds_t i = 0; i < count && k < plan->nsocks; i++) {
        struct fd *d = fds[i].fd >= 0 ? fd_get(fds[i].fd) : NULL;
        if (d == NULL || d->kind != FD_SOCKET)
            continue;
        fds[i].revents = poll_events(plan->socks[k++].revents, fds[i].events);
        ready += fds[i].revents != 0;
    }
    return ready;
}

int poll(struct pollfd *fds, nfds_t count, int timeout_ms)
{
    if (count > 0 && fds == NULL) {
        errno = EFAULT;
        return -1;
    }
    struct plan plan = {0};
    int saved = errno;
    if (sockets_of(fds, count, &plan) != 0)
        return -1;
    errno = saved;
    uint64_t start = sys_now_ns();
    uint64_t deadline = timeout_ms < 0 ? UINT64_MAX : start + (uint64_t)timeout_ms * 1000000u;
    int slice = 1, ready = -1;
    for (;;) {
        int others = others_ready(fds, count, &plan);
        bool waits_elsewhere = plan.elsewhere;
        int wait_ms = 0; /* this round's wait for the sockets */
        uint64_t now = sys_now_ns();
        if (others == 0 && now < deadline) {
            uint64_t left_ms = deadline == UINT64_MAX ? UINT64_MAX : (deadline - now) / 1000000u;
            if (!waits_elsewhere)
                wait_ms = left_ms > INT32_MAX ? -1 : (int)left_ms;
            else
                wait_ms = left_ms < (uint64_t)slice ? (int)left_ms : slice;
        }
        int socks = 0;
        if (plan.nsocks > 0) {
            if (socket_poll(plan.socks, plan.nsocks, wait_ms) < 0)
                break;
            socks = sockets_ready(fds, count, &plan);
        } else if (wait_ms > 0 && waits_elsewhere) {
            sys_sleep_ns((uint64_t)wait_ms * 1000000u);
        } else if (others == 0 && !waits_elsewhere && now < deadline) {
            /* nothing to wait for (no descriptor, or only bad ones): a sleep */
            sys_sleep_ns(deadline == UINT64_MAX ? UINT64_MAX : deadline - now);
        }
        if (others + socks > 0 || sys_now_ns() >= deadline || (!waits_elsewhere && wait_ms != 0) ||
            (plan.nsocks == 0 && !waits_elsewhere)) {
            ready = others + socks;
            break;
        }
        slice = slice * 2 > SLICE_MAX_MS ? SLICE_MAX_MS : slice * 2;
    }
    free(plan.socks);
    return ready;
}
