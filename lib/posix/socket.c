/* socket.c — sockets: IPv4 TCP and UDP through NET (proto/net.h). A socket
 * is a descriptor (FD_SOCKET) whose open file holds NET's number for it.
 * The process has one channel to NET, connected on its first socket, and one
 * frame granted to NET that data moves through; every call is one request,
 * answered when it can be (or at once with EAGAIN in non-blocking mode).
 *
 * NET restarted under RS loses every socket it had: a call on one of those
 * fails with ECONNRESET (the open file remembers which channel, its epoch,
 * made it), and the next socket() connects to the new NET. Sockets are not
 * inherited by programs this one starts: NET's sockets belong to a channel,
 * and a channel to a process. */
#include "posix.h"

#include <arpa/inet.h>
#include <errmap.h>
#include <errno.h>
#include <fcntl.h>
#include <grant.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <proto/net.h>
#include <proto_chan.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>

PROTO_CHAN_CALLS(NET_MESSAGES)

#define NET_WAIT_NS  5000000000ull /* for NET's name, at the first socket */
#define NET_DATA_MAX (64 * 1024)   /* the most one send or receive moves */
#define PAGE         4096ull

static struct chan net;
static struct grant bulk;
static bool up;
static uint32_t epoch = 1; /* counts channels to NET: sockets of an older one are gone */

/* The channel to NET, connected and granted on first use; NULL with errno. */
static struct chan *net_chan(void)
{
    if (up)
        return &net;
    if (chan_connect(NET_NAME, &net, NET_WAIT_NS) != OK) {
        errno = ENETDOWN;
        return NULL;
    }
    if (grant_offer(&net, NET_DATA_MAX, &bulk) != OK) {
        chan_drop(&net);
        errno = ENOMEM;
        return NULL;
    }
    up = true;
    return &net;
}

/* A bigger grant, for a poll of many sockets; false with errno. */
static bool grant_room(uint64_t bytes)
{
    if (bytes <= bulk.bytes)
        return true;
    struct grant bigger;
    if (grant_offer(&net, (bytes + PAGE - 1) & ~(PAGE - 1), &bigger) != OK) {
        errno = ENOMEM;
        return false;
    }
    grant_drop(&bulk);
    bulk = bigger;
    return true;
}

/* 0, or -1 with errno for err. NET gone: every socket with it. */
static int result(err_t err)
{
    if (err == OK)
        return 0;
    if (err == ERR_DEAD) {
        grant_drop(&bulk);
        chan_drop(&net);
        up = false;
        epoch++;
        err = ERR_RESET;
    }
    errno = errno_of(err);
    return -1;
}

static uint64_t handle_of(uint32_t id) { return (uint64_t)epoch << 32 | id; }
static uint32_t id_of(const struct open_file *of) { return (uint32_t)of->handle; }

/* The socket of fd, still NET's; NULL with errno (EBADF, ENOTSOCK,
 * ECONNRESET when NET restarted since). */
static struct open_file *sock_of(int fd)
{
    struct fd *d = fd_get(fd);
    if (d == NULL)
        return NULL;
    if (d->kind != FD_SOCKET) {
        errno = ENOTSOCK;
        return NULL;
    }
    if (d->of->handle >> 32 != epoch || !up) {
        errno = ECONNRESET;
        return NULL;
    }
    return d->of;
}

static bool nonblocking(const struct open_file *of, int flags)
{
    return (of->flags & O_NONBLOCK) || (flags & MSG_DONTWAIT);
}

/* A new descriptor for NET's socket id; -1 with errno (the socket closed). */
static int install(uint32_t id, int type_flags)
{
    struct open_file *of = malloc(sizeof *of);
    if (of != NULL) {
        *of = (struct open_file){.handle = handle_of(id),
                                 .mode = S_IFSOCK | 0777,
                                 .flags = O_RDWR | ((type_flags & SOCK_NONBLOCK) ? O_NONBLOCK : 0)};
        int fd = fd_install(FD_SOCKET, of, (type_flags & SOCK_CLOEXEC) != 0, 0);
        if (fd >= 0)
            return fd;
        free(of);
    } else {
        errno = ENOMEM;
    }
    int saved = errno;
    (void)net_close(&net, &(struct net_sock){.sock = id}, NULL);
    errno = saved;
    return -1;
}

int socket_close(struct open_file *of)
{
    int err = 0;
    if (of->handle >> 32 == epoch && up)
        err = result(net_close(&net, &(struct net_sock){.sock = id_of(of)}, NULL));
    free(of);
    return err;
}

int socket(int domain, int type, int protocol)
{
    int kind = type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (domain != AF_INET) {
        errno = EAFNOSUPPORT;
        return -1;
    }
    if ((kind != SOCK_STREAM && kind != SOCK_DGRAM) ||
        (protocol != 0 && protocol != (kind == SOCK_STREAM ? IPPROTO_TCP : IPPROTO_UDP))) {
        errno = EPROTONOSUPPORT;
        return -1;
    }
    struct net_done got;
    if (net_chan() == NULL ||
        result(net_socket(&net,
                          &(struct net_socket){.kind = kind == SOCK_STREAM ? NET_TCP : NET_UDP},
                          &got)) != 0)
        return -1;
    return install(got.sock, type);
}

/* addr as NET's address and port; -1 with errno. */
static int endpoint_of(const struct sockaddr *addr, socklen_t len, uint32_t *a, uint16_t *port)
{
    if (addr == NULL || len < sizeof(struct sockaddr_in)) {
        errno = EINVAL;
        return -1;
    }
    const struct sockaddr_in *in = (const struct sockaddr_in *)addr;
    if (in->sin_family != AF_INET) {
        errno = EAFNOSUPPORT;
        return -1;
    }
    *a = ntohl(in->sin_addr.s_addr);
    *port = ntohs(in->sin_port);
    return 0;
}

/* NET's address and port into addr (*len bytes of room, set to the size). */
static void sockaddr_put(struct sockaddr *addr, socklen_t *len, uint32_t a, uint16_t port)
{
    if (addr == NULL || len == NULL)
        return;
    struct sockaddr_in in = {
        .sin_family = AF_INET, .sin_port = htons(port), .sin_addr = {htonl(a)}};
    memcpy(addr, &in, *len < sizeof in ? *len : sizeof in);
    *len = sizeof in;
}

int bind(int fd, const struct sockaddr *addr, socklen_t len)
{
    struct open_file *of = sock_of(fd);
    struct net_endpoint e = {0};
    if (of == NULL || endpoint_of(addr, len, &e.addr, &e.port) != 0)
        return -1;
    e.sock = id_of(of);
    return result(net_bind(&net, &e, NULL));
}

int listen(int fd, int backlog)
{
    struct open_file *of = sock_of(fd);
    if (of == NULL)
        return -1;
    uint32_t n = backlog < 1 ? 1 : (uint32_t)backlog;
    return result(net_listen(&net, &(struct net_sock){id_of(of), n}, NULL));
}

int accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags)
{
    struct open_file *of = sock_of(fd);
    if (of == NULL)
        return -1;
    struct net_done got;
    uint32_t nb = nonblocking(of, 0) ? NET_NONBLOCK : 0;
    if (result(net_accept(&net, &(struct net_sock){id_of(of), nb}, &got)) != 0)
        return -1;
    sockaddr_put(addr, len, got.addr, got.port);
    return install(got.sock, flags);
}

int accept(int fd, struct sockaddr *addr, socklen_t *len) { return accept4(fd, addr, len, 0); }

int connect(int fd, const struct sockaddr *addr, socklen_t len)
{
    struct open_file *of = sock_of(fd);
    struct net_endpoint e = {0};
    if (of == NULL || endpoint_of(addr, len, &e.addr, &e.port) != 0)
        return -1;
    e.sock = id_of(of);
    e.flags = nonblocking(of, 0) ? NET_NONBLOCK : 0;
    return result(net_connect(&net, &e, NULL));
}

/* One send of at most NET_DATA_MAX bytes: how many NET took, or -1. */
static ssize_t send_once(struct open_file *of, const void *buf, size_t len, int flags,
                         uint32_t addr, uint16_t port)
{
    size_t n = len < bulk.bytes ? len : bulk.bytes;
    memcpy((void *)bulk.va, buf, n);
    struct net_io q = {.sock = id_of(of),
                       .bytes = (uint32_t)n,
                       .flags = nonblocking(of, flags) ? NET_NONBLOCK : 0,
                       .addr = addr,
                       .port = port};
    struct net_done got;
    if (result(net_send(&net, &q, &got)) != 0)
        return -1;
    return got.bytes;
}

static ssize_t send_all(struct open_file *of, const void *buf, size_t len, int flags)
{
    size_t done = 0;
    do {
        ssize_t n = send_once(of, (const char *)buf + done, len - done, flags, 0, 0);
        if (n < 0)
            return done > 0 ? (ssize_t)done : -1; /* EAGAIN after some: what went */
        done += (size_t)n;
    } while (done < len);
    return (ssize_t)done;
}

ssize_t send(int fd, const void *buf, size_t len, int flags)
{
    struct open_file *of = sock_of(fd);
    return of != NULL ? send_all(of, buf, len, flags) : -1;
}

ssize_t sendto(int fd, const void *buf, size_t len, int flags, const struct sockaddr *to,
               socklen_t tolen)
{
    struct open_file *of = sock_of(fd);
    if (of == NULL)
        return -1;
    if (to == NULL)
        return send_all(of, buf, len, flags);
    uint32_t a;
    uint16_t port;
    if (endpoint_of(to, tolen, &a, &port) != 0)
        return -1;
    if (len > bulk.bytes) {
        errno = EMSGSIZE; /* one datagram is one message */
        return -1;
    }
    return send_once(of, buf, len, flags, a, port);
}

ssize_t recvfrom(int fd, void *buf, size_t len, int flags, struct sockaddr *from,
                 socklen_t *fromlen)
{
    struct open_file *of = sock_of(fd);
    if (of == NULL)
        return -1;
    size_t n = len < bulk.bytes ? len : bulk.bytes;
    struct net_io q = {.sock = id_of(of),
                       .bytes = (uint32_t)n,
                       .flags = nonblocking(of, flags) ? NET_NONBLOCK : 0};
    struct net_done got;
    if (result(net_recv(&net, &q, &got)) != 0)
        return -1;
    memcpy(buf, (const void *)bulk.va, got.bytes);
    sockaddr_put(from, fromlen, got.addr, got.port);
    return got.bytes;
}

ssize_t recv(int fd, void *buf, size_t len, int flags)
{
    return recvfrom(fd, buf, len, flags, NULL, NULL);
}

ssize_t socket_read(struct open_file *of, void *buf, size_t len)
{
    size_t n = len < bulk.bytes ? len : bulk.bytes;
    struct net_io q = {
        .sock = id_of(of), .bytes = (uint32_t)n, .flags = nonblocking(of, 0) ? NET_NONBLOCK : 0};
    struct net_done got;
    if (of->handle >> 32 != epoch || !up) {
        errno = ECONNRESET;
        return -1;
    }
    if (result(net_recv(&net, &q, &got)) != 0)
        return -1;
    memcpy(buf, (const void *)bulk.va, got.bytes);
    return got.bytes;
}

ssize_t socket_write(struct open_file *of, const void *buf, size_t len)
{
    if (of->handle >> 32 != epoch || !up) {
        errno = ECONNRESET;
        return -1;
    }
    return send_all(of, buf, len, 0);
}

int shutdown(int fd, int how)
{
    struct open_file *of = sock_of(fd);
    if (of == NULL)
        return -1;
    uint32_t h = how == SHUT_RD     ? NET_SHUT_RD
                 : how == SHUT_WR   ? NET_SHUT_WR
                 : how == SHUT_RDWR ? NET_SHUT_RD | NET_SHUT_WR
                                    : 0;
    if (h == 0) {
        errno = EINVAL;
        return -1;
    }
    return result(net_shutdown(&net, &(struct net_sock){id_of(of), h}, NULL));
}

static int name_of(int fd, uint32_t which, struct sockaddr *addr, socklen_t *len)
{
    struct open_file *of = sock_of(fd);
    if (of == NULL)
        return -1;
    if (addr == NULL || len == NULL) {
        errno = EFAULT;
        return -1;
    }
    struct net_done got;
    if (result(net_sockname(&net, &(struct net_sock){id_of(of), which}, &got)) != 0)
        return -1;
    sockaddr_put(addr, len, got.addr, got.port);
    return 0;
}

int getsockname(int fd, struct sockaddr *addr, socklen_t *len) { return name_of(fd, 0, addr, len); }
int getpeername(int fd, struct sockaddr *addr, socklen_t *len) { return name_of(fd, 1, addr, len); }

/* NET's option for level and name; 0 if it has none. */
static uint32_t option_of(int level, int name)
{
    if (level == SOL_SOCKET)
        return name == SO_REUSEADDR ? NET_OPT_REUSEADDR
               : name == SO_ERROR   ? NET_OPT_ERROR
               : name == SO_TYPE    ? NET_OPT_TYPE
                                    : 0;
    if (level == IPPROTO_TCP && name == TCP_NODELAY)
        return NET_OPT_NODELAY;
    return 0;
}

int setsockopt(int fd, int level, int name, const void *value, socklen_t len)
{
    struct open_file *of = sock_of(fd);
    if (of == NULL)
        return -1;
    uint32_t opt = option_of(level, name);
    if (opt != NET_OPT_REUSEADDR && opt != NET_OPT_NODELAY) {
        errno = ENOPROTOOPT;
        return -1;
    }
    if (value == NULL || len < sizeof(int)) {
        errno = EINVAL;
        return -1;
    }
    struct net_opt o = {.sock = id_of(of), .opt = opt, .value = *(const int *)value != 0};
    return result(net_setopt(&net, &o, NULL));
}

int getsockopt(int fd, int level, int name, void *value, socklen_t *len)
{
    struct open_file *of = sock_of(fd);
    if (of == NULL)
        return -1;
    uint32_t opt = option_of(level, name);
    if (opt == 0) {
        errno = ENOPROTOOPT;
        return -1;
    }
    if (value == NULL || len == NULL || *len < sizeof(int)) {
        errno = EINVAL;
        return -1;
    }
    struct net_done got;
    if (result(net_getopt(&net, &(struct net_opt){.sock = id_of(of), .opt = opt}, &got)) != 0)
        return -1;
    int v = (int)got.value;
    if (opt == NET_OPT_ERROR)
        v = got.value == OK ? 0 : errno_of((err_t)got.value);
    if (opt == NET_OPT_TYPE)
        v = got.value == NET_TCP ? SOCK_STREAM : SOCK_DGRAM;
    *(int *)value = v;
    *len = sizeof(int);
    return 0;
}

int socket_set_nonblock(struct open_file *of, bool on)
{
    of->flags = on ? of->flags | O_NONBLOCK : of->flags & ~O_NONBLOCK;
    return 0;
}

int socket_poll(struct socket_poll *p, size_t count, int timeout_ms)
{
    if (!up) { /* every socket is of a NET gone */
        for (size_t i = 0; i < count; i++)
            p[i].revents = NET_POLLHUP | NET_POLLERR;
        return (int)count;
    }
    uint64_t bytes = (uint64_t)count * sizeof(struct net_pollfd);
    if (count > NET_SOCK_MAX_POLL) {
        errno = EINVAL;
        return -1;
    }
    if (!grant_room(bytes))
        return -1;
    struct net_pollfd *fds = (struct net_pollfd *)bulk.va;
    for (size_t i = 0; i < count; i++) {
        fds[i] = (struct net_pollfd){.events = p[i].events};
        fds[i].sock = p[i].of->handle >> 32 == epoch ? id_of(p[i].of) : 0;
    }
    struct net_done got;
    struct net_poll q = {.offset = 0, .count = (uint32_t)count, .timeout_ms = timeout_ms};
    if (result(net_poll(&net, &q, &got)) != 0)
        return -1;
    for (size_t i = 0; i < count; i++) /* a socket of an older NET: gone */
        p[i].revents = fds[i].sock != 0 ? fds[i].revents : NET_POLLHUP | NET_POLLERR;
    return (int)got.value;
}

int inet_pton(int af, const char *src, void *dst)
{
    if (af != AF_INET) {
        errno = EAFNOSUPPORT;
        return -1;
    }
    uint32_t a = 0;
    for (int part = 0; part < 4; part++) {
        if (part > 0 && *src++ != '.')
            return 0;
        if (*src < '0' || *src > '9' || (src[0] == '0' && src[1] >= '0' && src[1] <= '9'))
            return 0; /* a digit first; no leading zeros */
        unsigned v = 0;
        while (*src >= '0' && *src <= '9' && v <= 255)
            v = v * 10 + (unsigned)(*src++ - '0');
        if (v > 255)
            return 0;
        a = a << 8 | v;
    }
    if (*src != '\0')
        return 0;
    ((struct in_addr *)dst)->s_addr = htonl(a);
    return 1;
}

const char *inet_ntop(int af, const void *src, char *dst, socklen_t size)
{
    if (af != AF_INET) {
        errno = EAFNOSUPPORT;
        return NULL;
    }
    uint32_t a = ntohl(((const struct in_addr *)src)->s_addr);
    char text[INET_ADDRSTRLEN];
    int n = snprintf(text, sizeof text, "%u.%u.%u.%u", a >> 24, (a >> 16) & 255, (a >> 8) & 255,
                     a & 255);
    if (n < 0 || (socklen_t)n >= size) {
        errno = ENOSPC;
        return NULL;
    }
    memcpy(dst, text, (size_t)n + 1);
    return dst;
}

in_addr_t inet_addr(const char *src)
{
    struct in_addr a;
    return inet_pton(AF_INET, src, &a) == 1 ? a.s_addr : INADDR_NONE;
}
