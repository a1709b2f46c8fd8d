/* poll.h — waiting for any of several descriptors: sockets, pipes, files and
 * the console (lib/posix/poll.c). */
#ifndef POLL_H
#define POLL_H

typedef unsigned long nfds_t;

struct pollfd {
    int fd; /* negative: ignored, revents 0 */
    short events;
    short revents;
};

#define POLLIN     0x1
#define POLLPRI    0x2
#define POLLOUT    0x4
#define POLLERR    0x8
#define POLLHUP    0x10
#define POLLNVAL   0x20
#define POLLRDNORM 0x40
#define POLLWRNORM 0x100

int poll(struct pollfd *fds, nfds_t count, int timeout_ms);

#endif
