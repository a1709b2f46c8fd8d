/* nc.c — nc [-u] [-E] [-v] HOST PORT, or nc -l [-u] [-k] [-E] [-v] PORT (or -l -p PORT):
 * moves bytes between a socket and standard input and output. HOST is a dotted quad; a
 * listener binds 0.0.0.0.
 *
 * TCP: connects (or accepts one connection, and with -k the next after it, forever), then
 * relays stdin to the socket and the socket to stdout until the peer closes. At stdin's end
 * our sending side is shut down and reading goes on. The peer's end of sending ends the relay
 * even if it was only a half-close: stdin not yet sent is left. -E echoes what the peer sends
 * back to it instead, and leaves stdin alone. -v reports the connection on stderr.
 * UDP (-u): a listener writes each datagram to stdout (-E: sends it back to its sender; -v:
 * reports the sender), forever. A client sends each read of stdin as one datagram, prints
 * the datagrams that come back, and after stdin ends waits for one quiet second of them.
 *
 * Status: 0 when the peer closed, 1 after an error (nc: connect 10.0.2.2:80: Connection
 * refused), 2 for bad usage. One poll loop; the connected socket is non-blocking, so a peer
 * that reads slowly holds back what nc reads, not the whole program. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define CHUNK        65536
#define DATAGRAM_MAX 65507 /* the most an IPv4 UDP datagram can carry */
#define UDP_QUIET_MS 1000  /* how long a UDP client waits for replies after stdin ends */
#define ADDR_STR_MAX (INET_ADDRSTRLEN + 8)

struct nc_opts {
    bool udp, listen, keep, echo, verbose;
    struct sockaddr_in addr;
    char addr_str[ADDR_STR_MAX];
};

/* The bytes read but not yet sent on. */
struct pending {
    char *data;
    size_t len, pos;
};

static void usage(void)
{
    fprintf(stderr, "usage: nc [-u] [-E] [-v] HOST PORT\n"
                    "       nc -l [-u] [-k] [-E] [-v] PORT\n"
                    "       nc -l [-u] [-k] [-E] [-v] -p PORT\n");
}

static bool would_block(int e) { return e == EAGAIN || e == EWOULDBLOCK; }

static bool set_nonblocking(int fd)
{
    int flags = fcntl(fd, F_GETFL);
    return flags >= 0 && fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0;
}

static void addr_format(const struct sockaddr_in *a, char out[ADDR_STR_MAX])
{
    char dotted[INET_ADDRSTRLEN] = "?";
    inet_ntop(AF_INET, &a->sin_addr, dotted, sizeof dotted);
    snprintf(out, ADDR_STR_MAX, "%s:%u", dotted, (unsigned)ntohs(a->sin_port));
}

static int fail(const char *what)
{
    fprintf(stderr, "nc: %s: %s\n", what, strerror(errno));
    return 1;
}

/* Waits until fd can take more, for descriptors that someone else made non-blocking. */
static void wait_writable(int fd)
{
    struct pollfd p = {.fd = fd, .events = POLLOUT};
    poll(&p, 1, -1);
}

static bool write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0 && would_block(errno)) {
            wait_writable(fd);
            continue;
        }
        if (w <= 0)
            return false;
        p += w;
        n -= (size_t)w;
    }
    return true;
}

static bool parse_port(const char *s, unsigned short *out)
{
    char *end;
    unsigned long v = strtoul(s, &end, 10);
    if (*s < '0' || *s > '9' || *end != '\0' || v < 1 || v > 65535)
        return false;
    *out = (unsigned short)v;
    return true;
}

/* ---- TCP: one connection's relay ---- */

struct relay {
    int sock;
    bool echo;
    bool stdin_open;    /* stdin has not reached its end (never read when echoing) */
    bool peer_open;     /* the peer has not closed its sending side */
    bool we_shut;       /* our sending side is shut down */
    struct pending out; /* for the socket: from stdin, or echoed */
    char *in;           /* from the socket, for stdout */
};

static bool pending_empty(const struct pending *p) { return p->pos == p->len; }

static int relay_send(struct relay *r)
{
    ssize_t n = send(r->sock, r->out.data + r->out.pos, r->out.len - r->out.pos, 0);
    if (n < 0 && (errno == EINTR || would_block(errno)))
        return 0;
    if (n <= 0)
        return fail("send");
    r->out.pos += (size_t)n;
    return 0;
}

static int relay_recv(struct relay *r)
{
    char *into = r->echo ? r->out.data : r->in;
    ssize_t n = recv(r->sock, into, CHUNK, 0);
    if (n < 0 && (errno == EINTR || would_block(errno)))
        return 0;
    if (n < 0)
        return fail("recv");
    if (n == 0) {
        r->peer_open = false;
        return 0;
    }
    if (r->echo) {
        r->out.pos = 0;
        r->out.len = (size_t)n;
    } else if (!write_all(STDOUT_FILENO, into, (size_t)n)) {
        return fail("stdout");
    }
    return 0;
}

static void relay_read_stdin(struct relay *r)
{
    ssize_t n = read(STDIN_FILENO, r->out.data, CHUNK);
    if (n < 0 && (errno == EINTR || would_block(errno)))
        return;
    if (n < 0)
        fail("stdin"); /* reported, then taken as its end */
    if (n <= 0) {
        r->stdin_open = false;
        return;
    }
    r->out.pos = 0;
    r->out.len = (size_t)n;
}

/* What the loop waits for on the socket: reading stops while an echo is unsent, so a peer
 * that does not read its echo stops being read too. */
static short relay_sock_events(const struct relay *r)
{
    short events = 0;
    if (r->peer_open && !(r->echo && !pending_empty(&r->out)))
        events |= POLLIN;
    if (!pending_empty(&r->out))
        events |= POLLOUT;
    return events;
}

static int relay_step(struct relay *r)
{
    struct pollfd p[2] = {{.fd = r->sock, .events = relay_sock_events(r)},
                          {.fd = STDIN_FILENO, .events = POLLIN}};
    bool want_stdin = r->stdin_open && pending_empty(&r->out);
    int ready = poll(p, want_stdin ? 2 : 1, -1);
    if (ready < 0)
        return errno == EINTR ? 0 : fail("poll");
    if (p[0].revents & POLLNVAL) {
        errno = EBADF;
        return fail("poll");
    }
    int status = 0;
    if (p[0].revents & (POLLOUT | POLLERR | POLLHUP) && !pending_empty(&r->out))
        status = relay_send(r);
    if (status == 0 && p[0].revents & (POLLIN | POLLERR | POLLHUP) && (p[0].events & POLLIN))
        status = relay_recv(r);
    if (want_stdin && p[1].revents & POLLNVAL)
        r->stdin_open = false;
    else if (want_stdin && p[1].revents)
        relay_read_stdin(r);
    return status;
}

static int relay_run(int sock, bool echo)
{
    struct relay r = {.sock = sock, .echo = echo, .stdin_open = !echo, .peer_open = true};
    r.out.data = malloc(CHUNK);
    r.in = malloc(CHUNK);
    int status = r.out.data && r.in ? 0 : fail("relay");
    while (status == 0) {
        /* The peer is done: what it sent is out; an echo still owed goes first. */
        if (!r.peer_open && (!echo || pending_empty(&r.out)))
            break;
        if (!r.stdin_open && !echo && pending_empty(&r.out) && !r.we_shut) {
            r.we_shut = true;
            if (shutdown(sock, SHUT_WR) != 0)
                status = fail("shutdown");
            continue;
        }
        status = relay_step(&r);
    }
    free(r.out.data);
    free(r.in);
    return status;
}

/* ---- TCP: connecting and listening ---- */

static int open_socket(const struct nc_opts *o)
{
    int fd = socket(AF_INET, o->udp ? SOCK_DGRAM : SOCK_STREAM, 0);
    if (fd < 0)
        fail("socket");
    return fd;
}

static int open_listener(const struct nc_opts *o)
{
    int fd = open_socket(o);
    if (fd < 0)
        return -1;
    int one = 1;
    if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0)
        fail("SO_REUSEADDR");
    char what[ADDR_STR_MAX + 16];
    snprintf(what, sizeof what, "bind %s", o->addr_str);
    if (bind(fd, (const struct sockaddr *)&o->addr, sizeof o->addr) == 0) {
        snprintf(what, sizeof what, "listen %s", o->addr_str);
        if (o->udp || listen(fd, 8) == 0)
            return fd;
    }
    fail(what);
    close(fd);
    return -1;
}

static int tcp_connect(const struct nc_opts *o)
{
    int fd = open_socket(o);
    if (fd < 0)
        return 1;
    if (connect(fd, (const struct sockaddr *)&o->addr, sizeof o->addr) != 0) {
        char what[ADDR_STR_MAX + 16];
        snprintf(what, sizeof what, "connect %s", o->addr_str);
        close(fd);
        return fail(what);
    }
    if (o->verbose)
        fprintf(stderr, "nc: connected to %s\n", o->addr_str);
    int status = set_nonblocking(fd) ? relay_run(fd, o->echo) : fail("fcntl");
    close(fd);
    return status;
}

static int tcp_serve_one(int fd, const struct sockaddr_in *from, const struct nc_opts *o)
{
    if (o->verbose) {
        char peer[ADDR_STR_MAX];
        addr_format(from, peer);
        fprintf(stderr, "nc: connection from %s\n", peer);
    }
    int status = set_nonblocking(fd) ? relay_run(fd, o->echo) : fail("fcntl");
    close(fd);
    return status;
}

/* A connection that went away while queued is no reason to stop. */
static int tcp_accept(int listener, struct sockaddr_in *from)
{
    for (;;) {
        socklen_t len = sizeof *from;
        int fd = accept(listener, (struct sockaddr *)from, &len);
        if (fd >= 0 || (errno != EINTR && errno != ECONNABORTED))
            return fd;
    }
}

static int tcp_listen(const struct nc_opts *o)
{
    int listener = open_listener(o);
    if (listener < 0)
        return 1;
    int status = 0;
    do {
        struct sockaddr_in from;
        int fd = tcp_accept(listener, &from);
        if (fd < 0) {
            status = fail("accept");
            break;
        }
        if (!o->keep) {
            close(listener); /* later callers are refused rather than left waiting */
            listener = -1;
        }
        status = tcp_serve_one(fd, &from, o);
    } while (o->keep);
    if (listener >= 0)
        close(listener);
    return status;
}

/* ---- UDP ---- */

static int udp_listen_loop(int sock, char *buf, const struct nc_opts *o)
{
    for (;;) {
        struct sockaddr_in from;
        socklen_t len = sizeof from;
        ssize_t n = recvfrom(sock, buf, CHUNK, 0, (struct sockaddr *)&from, &len);
        if (n < 0 && (errno == EINTR || errno == ECONNREFUSED || errno == ECONNRESET))
            continue; /* an earlier echo's sender has gone: no matter to the next one */
        if (n < 0)
            return fail("recvfrom");
        char peer[ADDR_STR_MAX];
        addr_format(&from, peer);
        if (o->verbose)
            fprintf(stderr, "nc: datagram from %s, %ld bytes\n", peer, (long)n);
        if (o->echo && sendto(sock, buf, (size_t)n, 0, (struct sockaddr *)&from, len) < 0)
            fprintf(stderr, "nc: sendto %s: %s\n", peer, strerror(errno));
        if (!o->echo && !write_all(STDOUT_FILENO, buf, (size_t)n))
            return fail("stdout");
    }
}

static int udp_listen(const struct nc_opts *o)
{
    int sock = open_listener(o);
    if (sock < 0)
        return 1;
    char *buf = malloc(CHUNK);
    int status = buf ? udp_listen_loop(sock, buf, o) : fail("udp");
    free(buf);
    close(sock);
    return status;
}

static int udp_send(int sock, const char *buf, size_t n, const struct nc_opts *o)
{
    for (;;) {
        if (sendto(sock, buf, n, 0, (const struct sockaddr *)&o->addr, sizeof o->addr) >= 0)
            return 0;
        if (errno == EINTR)
            continue;
        if (would_block(errno)) {
            wait_writable(sock);
            continue;
        }
        fprintf(stderr, "nc: sendto %s: %s\n", o->addr_str, strerror(errno));
        return errno == ECONNREFUSED ? 0 : 1;
    }
}

/* Prints every datagram waiting on sock. */
static int udp_drain(int sock, char *buf)
{
    for (;;) {
        ssize_t n = recvfrom(sock, buf, CHUNK, 0, NULL, NULL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (would_block(errno) || errno == ECONNREFUSED))
            return 0;
        if (n < 0)
            return fail("recvfrom");
        if (!write_all(STDOUT_FILENO, buf, (size_t)n))
            return fail("stdout");
    }
}

static int udp_client_loop(int sock, char *buf, const struct nc_opts *o)
{
    bool stdin_open = true;
    for (;;) {
        struct pollfd p[2] = {{.fd = sock, .events = POLLIN},
                              {.fd = STDIN_FILENO, .events = POLLIN}};
        int ready = poll(p, stdin_open ? 2 : 1, stdin_open ? -1 : UDP_QUIET_MS);
        if (ready < 0 && errno == EINTR)
            continue;
        if (ready < 0)
            return fail("poll");
        if (ready == 0)
            return 0;
        if (p[0].revents && udp_drain(sock, buf) != 0)
            return 1;
        if (!stdin_open || !p[1].revents)
            continue;
        ssize_t n = p[1].revents & POLLNVAL ? 0 : read(STDIN_FILENO, buf, DATAGRAM_MAX);
        if (n < 0 && (errno == EINTR || would_block(errno)))
            continue;
        if (n < 0)
            fail("stdin");
        if (n <= 0)
            stdin_open = false;
        else if (udp_send(sock, buf, (size_t)n, o) != 0)
            return 1;
    }
}

static int udp_client(const struct nc_opts *o)
{
    int sock = open_socket(o);
    if (sock < 0)
        return 1;
    char *buf = malloc(CHUNK);
    int status = !buf                     ? fail("udp")
                 : !set_nonblocking(sock) ? fail("fcntl")
                                          : udp_client_loop(sock, buf, o);
    free(buf);
    close(sock);
    return status;
}

/* ---- arguments ---- */

static bool opts_parse(int argc, char **argv, struct nc_opts *o)
{
    const char *port_opt = NULL;
    int opt;
    while ((opt = getopt(argc, argv, "ulkEvp:")) != -1) {
        switch (opt) {
        case 'u':
            o->udp = true;
            break;
        case 'l':
            o->listen = true;
            break;
        case 'k':
            o->keep = true;
            break;
        case 'E':
            o->echo = true;
            break;
        case 'v':
            o->verbose = true;
            break;
        case 'p':
            port_opt = optarg;
            break;
        default:
            return false;
        }
    }
    int left = argc - optind;
    const char *host = "0.0.0.0", *port = port_opt;
    if (o->listen && !port_opt && left == 1)
        port = argv[optind];
    else if (!o->listen && !port_opt && !o->keep && left == 2) {
        host = argv[optind];
        port = argv[optind + 1];
    } else if (!(o->listen && port_opt && left == 0))
        return false;
    if (o->udp && o->echo && !o->listen)
        return false; /* nobody would know where to send what we are to echo */
    o->addr.sin_family = AF_INET;
    if (!parse_port(port, &o->addr.sin_port)) {
        fprintf(stderr, "nc: %s: not a port number\n", port);
        return false;
    }
    o->addr.sin_port = htons(o->addr.sin_port);
    if (inet_pton(AF_INET, host, &o->addr.sin_addr) != 1) {
        fprintf(stderr, "nc: %s: not a dotted-quad IPv4 address\n", host);
        return false;
    }
    addr_format(&o->addr, o->addr_str);
    return true;
}

int main(int argc, char **argv)
{
    struct nc_opts o = {0};
    if (!opts_parse(argc, argv, &o)) {
        usage();
        return 2;
    }
    if (o.udp)
        return o.listen ? udp_listen(&o) : udp_client(&o);
    return o.listen ? tcp_listen(&o) : tcp_connect(&o);
}
