/* sock_probe — checks of the sockets of lib/posix through NET, over the
 * loopback interface (no device needed): TCP connect, accept, data both ways
 * (1 MiB checked byte for byte), the peer's end, shutdown, names, options,
 * non-blocking calls and poll (of sockets and pipes), UDP datagrams with their senders, and POSIX's
 * errors (ECONNREFUSED, EADDRINUSE, EAGAIN, EPIPE, ENOTCONN, EINPROGRESS,
 * ENOTSOCK, EBADF). Then it talks to NET on a raw channel of its own with
 * requests the C library never sends: bad socket numbers, another client's
 * socket, data outside the grant, or no grant at all, out-of-range fields,
 * and a second call while one waits. One line per check (probe.h's form);
 * the exit status is the number of failures. */
#include <arpa/inet.h>
#include <chan.h>
#include <errno.h>
#include <fcntl.h>
#include <grant.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <proto/net.h>
#include <proto_chan.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

PROTO_CHAN_CALLS(NET_MESSAGES)

#define BULK (1024 * 1024)

static int checks, failures;

static void check(bool ok, const char *what)
{
    checks++;
    failures += !ok;
    printf("sock_probe: %s %s\n", ok ? "ok" : "FAIL", what);
    if (!ok)
        printf("sock_probe:   errno %d (%s)\n", errno, strerror(errno));
}

#define FAILS_WITH(call, e) ((errno = 0, (call)) == -1 && errno == (e))

static struct sockaddr_in loopback(uint16_t port)
{
    return (struct sockaddr_in){
        .sin_family = AF_INET, .sin_port = htons(port), .sin_addr = {htonl(INADDR_LOOPBACK)}};
}

#define SA(a) ((struct sockaddr *)&(a))

static uint16_t port_of(int fd, bool peer)
{
    struct sockaddr_in a;
    socklen_t len = sizeof a;
    int r = peer ? getpeername(fd, SA(a), &len) : getsockname(fd, SA(a), &len);
    return r == 0 ? ntohs(a.sin_port) : 0;
}

static int listener(uint16_t port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = loopback(port);
    int one = 1;
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
        bind(fd, SA(a), sizeof a) != 0 || listen(fd, 8) != 0) {
        printf("sock_probe: listener on %u: %s\n", port, strerror(errno));
        return -1;
    }
    return fd;
}

/* Waits for fd to be ready for events (a poll of one). */
static bool ready(int fd, short events, int timeout_ms)
{
    struct pollfd p = {.fd = fd, .events = events};
    return poll(&p, 1, timeout_ms) == 1 && (p.revents & events);
}

/* BULK bytes of out from one socket to the other (both non-blocking), into
 * in, in pieces of odd sizes under poll: whether all arrived. */
static bool pump(int from, int to, const uint8_t *out, uint8_t *in)
{
    size_t sent = 0, got = 0;
    while (got < BULK) {
        struct pollfd p[2] = {{.fd = from, .events = sent < BULK ? POLLOUT : 0},
                              {.fd = to, .events = POLLIN}};
        if (poll(p, 2, 10000) <= 0)
            return false;
        if (p[0].revents & POLLOUT) {
            ssize_t n = write(from, out + sent, BULK - sent < 40000 ? BULK - sent : 40000);
            if (n < 0 && errno != EAGAIN)
                return false;
            sent += n > 0 ? (size_t)n : 0;
        }
        if (p[1].revents & POLLIN) {
            ssize_t n = read(to, in + got, BULK - got < 3333 ? BULK - got : 3333);
            if (n <= 0)
                return false;
            got += (size_t)n;
        }
    }
    return sent == BULK;
}

static void text_and_addresses(void)
{
    struct in_addr a;
    char text[INET_ADDRSTRLEN];
    check(inet_pton(AF_INET, "10.0.2.15", &a) == 1 && ntohl(a.s_addr) == 0x0a00020f,
          "inet_pton 10.0.2.15");
    check(inet_pton(AF_INET, "10.0.2", &a) == 0 && inet_pton(AF_INET, "1.2.3.256", &a) == 0 &&
              inet_pton(AF_INET, "01.2.3.4", &a) == 0 && inet_pton(AF_INET, "1.2.3.4 ", &a) == 0,
          "inet_pton refuses 10.0.2, 1.2.3.256, 01.2.3.4 and a trailing space");
    check(FAILS_WITH(inet_pton(99, "1.2.3.4", &a), EAFNOSUPPORT),
          "inet_pton of family 99: EAFNOSUPPORT");
    a.s_addr = htonl(0xc0a80001);
    check(inet_ntop(AF_INET, &a, text, sizeof text) != NULL && strcmp(text, "192.168.0.1") == 0,
          "inet_ntop 192.168.0.1");
    check(inet_ntop(AF_INET, &a, text, 8) == NULL && errno == ENOSPC,
          "inet_ntop into 8 bytes: ENOSPC");
    check(FAILS_WITH(socket(AF_INET, 7, 0), EPROTONOSUPPORT), "socket of type 7: EPROTONOSUPPORT");
    check(FAILS_WITH(socket(99, SOCK_STREAM, 0), EAFNOSUPPORT),
          "socket of family 99: EAFNOSUPPORT");
    check(FAILS_WITH(send(0, "x", 1, 0), ENOTSOCK), "send on the console: ENOTSOCK");
    check(FAILS_WITH(recv(4711, (char[1]){0}, 1, 0), EBADF), "recv on no descriptor: EBADF");
}

static void tcp_basics(void)
{
    int l = listener(7001);
    check(l >= 0, "a TCP listener on 127.0.0.1:7001");
    int busy = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = loopback(7001);
    check(FAILS_WITH(bind(busy, SA(a), sizeof a), EADDRINUSE), "a second bind of 7001: EADDRINUSE");
    close(busy);
    int c = socket(AF_INET, SOCK_STREAM, 0);
    check(FAILS_WITH(send(c, "x", 1, 0), ENOTCONN), "send before connect: ENOTCONN");
    check(connect(c, SA(a), sizeof a) == 0, "connect to 7001");
    check(FAILS_WITH(connect(c, SA(a), sizeof a), EISCONN), "connect again: EISCONN");
    struct sockaddr_in peer;
    socklen_t len = sizeof peer;
    int s = accept(l, SA(peer), &len);
    check(s >= 0 && len == sizeof peer && ntohl(peer.sin_addr.s_addr) == INADDR_LOOPBACK &&
              ntohs(peer.sin_port) == port_of(c, false),
          "accept gives the client's address and port");
    check(port_of(s, false) == 7001 && port_of(c, true) == 7001, "getsockname and getpeername");
    struct stat st;
    check(fstat(s, &st) == 0 && S_ISSOCK(st.st_mode), "fstat says a socket");
    int one = 1, got = 0;
    socklen_t glen = sizeof got;
    check(setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) == 0 &&
              getsockopt(c, IPPROTO_TCP, TCP_NODELAY, &got, &glen) == 0 && got == 1,
          "TCP_NODELAY set and read back");
    check(getsockopt(c, SOL_SOCKET, SO_TYPE, &got, &glen) == 0 && got == SOCK_STREAM,
          "SO_TYPE is SOCK_STREAM");
    check(FAILS_WITH(setsockopt(c, SOL_SOCKET, 77, &one, sizeof one), ENOPROTOOPT),
          "an unknown option: ENOPROTOOPT");

    /* 1 MiB each way, through write and read, in pieces of odd sizes. */
    uint8_t *out = malloc(BULK), *in = malloc(BULK);
    for (size_t i = 0; i < BULK; i++)
        out[i] = (uint8_t)(i * 7 + (i >> 11));
    int fl = fcntl(c, F_GETFL);
    check(fcntl(c, F_SETFL, fl | O_NONBLOCK) == 0 && (fcntl(c, F_GETFL) & O_NONBLOCK),
          "O_NONBLOCK set on the client");
    check(pump(c, s, out, in) && memcmp(in, out, BULK) == 0,
          "1 MiB from client to server under poll, byte for byte");
    check(FAILS_WITH(recv(c, in, 10, 0), EAGAIN), "a non-blocking recv with nothing: EAGAIN");
    memset(in, 0, BULK);
    check(fcntl(s, F_SETFL, O_NONBLOCK) == 0, "O_NONBLOCK set on the server's socket");
    check(pump(s, c, out, in) && memcmp(in, out, BULK) == 0,
          "1 MiB from server to client, byte for byte");
    check(fcntl(s, F_SETFL, 0) == 0 && fcntl(c, F_SETFL, 0) == 0, "both blocking again");
    free(out);
    free(in);

    check(shutdown(c, SHUT_WR) == 0, "shutdown SHUT_WR");
    check(FAILS_WITH(send(c, "x", 1, 0), EPIPE), "send after SHUT_WR: EPIPE");
    check(ready(s, POLLIN, 10000) && read(s, (char[8]){0}, 8) == 0, "the server reads the end (0)");
    check(write(s, "bye", 3) == 3, "the server still sends after the client's end");
    char bye[4] = {0};
    check(ready(c, POLLIN, 10000) && read(c, bye, 3) == 3 && memcmp(bye, "bye", 3) == 0,
          "the client reads after its own SHUT_WR");
    check(close(s) == 0, "the server closes");
    check(ready(c, POLLIN, 10000) && read(c, bye, 3) == 0, "the client reads the server's end");
    check(close(c) == 0 && FAILS_WITH(close(c), EBADF), "close, and again: EBADF");
    check(close(l) == 0, "the listener closes");
}

static void tcp_errors(void)
{
    int c = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = loopback(7002);
    check(FAILS_WITH(connect(c, SA(a), sizeof a), ECONNREFUSED),
          "connect to a closed port: ECONNREFUSED");
    close(c);
    int l = listener(7003);
    a = loopback(7003);
    c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    check(FAILS_WITH(connect(c, SA(a), sizeof a), EINPROGRESS),
          "a non-blocking connect: EINPROGRESS");
    check(ready(c, POLLOUT, 10000), "poll says the connection is up");
    int err = -1;
    socklen_t len = sizeof err;
    check(getsockopt(c, SOL_SOCKET, SO_ERROR, &err, &len) == 0 && err == 0, "SO_ERROR is 0");
    int fl = fcntl(l, F_GETFL);
    check(fcntl(l, F_SETFL, fl | O_NONBLOCK) == 0, "the listener non-blocking");
    int s = accept(l, NULL, NULL);
    check(s >= 0, "accept (non-blocking, one waiting)");
    check(FAILS_WITH(accept(l, NULL, NULL), EAGAIN), "accept with none waiting: EAGAIN");
    /* A close with unread data resets the connection, as elsewhere. */
    check(send(c, "unread", 6, 0) == 6, "the client sends 6 bytes");
    check(ready(s, POLLIN, 10000), "they arrive");
    check(close(s) == 0, "the server closes without reading them");
    bool reset = ready(c, POLLIN, 10000) && FAILS_WITH(recv(c, (char[8]){0}, 8, 0), ECONNRESET);
    check(reset, "the client's recv: ECONNRESET");
    check(FAILS_WITH(send(c, "x", 1, 0), EPIPE), "a send after the reset: EPIPE");
    close(c);
    /* A socket never connected: poll says it hung up; listen on UDP fails. */
    int u = socket(AF_INET, SOCK_DGRAM, 0);
    check(FAILS_WITH(listen(u, 1), EINVAL), "listen on UDP: EINVAL");
    close(u);
    close(l);
    /* An empty poll is a sleep; a closed descriptor is POLLNVAL. */
    check(poll(NULL, 0, 20) == 0, "poll of nothing for 20 ms: 0");
    struct pollfd p = {.fd = 4711, .events = POLLIN};
    check(poll(&p, 1, 0) == 1 && p.revents == POLLNVAL, "poll of no descriptor: POLLNVAL");
    int fresh = socket(AF_INET, SOCK_STREAM, 0);
    p = (struct pollfd){.fd = fresh, .events = POLLIN};
    check(poll(&p, 1, 50) == 1 && (p.revents & POLLHUP), "poll of an unconnected socket: POLLHUP");
    close(fresh);
}

/* poll of a pipe's ends, as FS sees them, beside a socket. */
static void pipes(void)
{
    int p[2];
    check(pipe(p) == 0, "a pipe");
    int u = socket(AF_INET, SOCK_DGRAM, 0);
    struct pollfd fds[3] = {{.fd = p[0], .events = POLLIN},
                            {.fd = p[1], .events = POLLOUT},
                            {.fd = u, .events = POLLIN}};
    check(poll(fds, 3, 50) == 1 && fds[0].revents == 0 && fds[1].revents == POLLOUT &&
              fds[2].revents == 0,
          "poll: an empty pipe is not readable, its write end is writable");
    check(poll(fds, 1, 30) == 0, "poll of the empty read end times out");
    check(write(p[1], "x", 1) == 1 && poll(fds, 1, 1000) == 1 && fds[0].revents == POLLIN,
          "a byte written: the read end is readable");
    check(read(p[0], (char[1]){0}, 1) == 1 && close(p[1]) == 0 && poll(fds, 1, 1000) == 1 &&
              fds[0].revents == POLLIN && read(p[0], (char[1]){0}, 1) == 0,
          "the writer gone: readable, and the read says the end");
    close(p[0]);
    close(u);
}

static void udp(void)
{
    int a = socket(AF_INET, SOCK_DGRAM, 0), b = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in aa = loopback(7101), ba = loopback(7102);
    check(bind(a, SA(aa), sizeof aa) == 0 && bind(b, SA(ba), sizeof ba) == 0,
          "two UDP sockets bound");
    check(sendto(a, "one", 3, 0, SA(ba), sizeof ba) == 3 &&
              sendto(a, "two!", 4, 0, SA(ba), sizeof ba) == 4,
          "two datagrams sent");
    char buf[16];
    struct sockaddr_in from;
    socklen_t len = sizeof from;
    check(ready(b, POLLIN, 10000) && recvfrom(b, buf, sizeof buf, 0, SA(from), &len) == 3 &&
              memcmp(buf, "one", 3) == 0 && ntohs(from.sin_port) == 7101,
          "the first arrives whole with its sender");
    check(recvfrom(b, buf, 2, 0, NULL, NULL) == 2 && memcmp(buf, "tw", 2) == 0,
          "the second, cut to 2 bytes");
    check(FAILS_WITH(recv(b, buf, sizeof buf, MSG_DONTWAIT), EAGAIN),
          "none left: EAGAIN (MSG_DONTWAIT)");
    check(FAILS_WITH(send(a, "x", 1, 0), ENOTCONN), "send without a peer: ENOTCONN");
    check(connect(a, SA(ba), sizeof ba) == 0 && send(a, "three", 5, 0) == 5, "connect, then send");
    check(ready(b, POLLIN, 10000) && recv(b, buf, sizeof buf, 0) == 5, "it arrives");
    check(port_of(a, true) == 7102, "a connected UDP socket's peer");
    close(a);
    close(b);
}

/* NET's protocol from a channel of its own, with requests lib/posix never sends. */
static void raw(void)
{
    struct chan ch;
    if (chan_connect(NET_NAME, &ch, 5000000000ull) != OK) {
        check(false, "a raw channel to NET");
        return;
    }
    struct net_done d;
    struct net_io io = {.sock = 1, .bytes = 100};
    check(net_socket(&ch, &(struct net_socket){.kind = 9}, &d) == ERR_INVAL,
          "raw: socket of kind 9: ERR_INVAL");
    check(net_socket(&ch, &(struct net_socket){.kind = NET_TCP}, &d) == OK, "raw: a TCP socket");
    uint32_t mine = d.sock;
    int theirs = socket(AF_INET, SOCK_STREAM, 0); /* the C library's: another client's */
    check(net_close(&ch, &(struct net_sock){.sock = 0}, NULL) == ERR_BADF,
          "raw: socket 0: ERR_BADF");
    check(net_close(&ch, &(struct net_sock){.sock = 0xffffffffu}, NULL) == ERR_BADF,
          "raw: socket 2^32-1: ERR_BADF");
    bool foreign = true;
    for (uint32_t id = 1; id < 64; id++) /* every number but its own is not its */
        if (id != mine)
            foreign &= net_close(&ch, &(struct net_sock){.sock = id}, NULL) == ERR_BADF;
    check(foreign, "raw: every other client's socket: ERR_BADF");
    check(theirs >= 0 && write(theirs, "x", 1) == -1 && errno == ENOTCONN,
          "the other client's socket is still whole");
    close(theirs);
    io.sock = mine;
    check(net_send(&ch, &io, &d) == ERR_NOTCONN, "raw: send unconnected: ERR_NOTCONN");
    check(net_shutdown(&ch, &(struct net_sock){mine, 0}, NULL) == ERR_INVAL,
          "raw: shutdown how 0: ERR_INVAL");
    check(net_sockname(&ch, &(struct net_sock){mine, 2}, &d) == ERR_INVAL,
          "raw: name which 2: ERR_INVAL");
    check(net_setopt(&ch, &(struct net_opt){.sock = mine, .opt = 99}, NULL) == ERR_INVAL,
          "raw: option 99: ERR_INVAL");
    check(net_poll(&ch, &(struct net_poll){.count = NET_SOCK_MAX_POLL + 1}, &d) == ERR_INVAL,
          "raw: a poll of too many: ERR_INVAL");
    check(net_poll(&ch, &(struct net_poll){.count = 1}, &d) == ERR_NOENT,
          "raw: a poll with no grant: ERR_NOENT");
    /* UDP data from and to a grant it does not have, then one too small. */
    check(net_socket(&ch, &(struct net_socket){.kind = NET_UDP}, &d) == OK, "raw: a UDP socket");
    uint32_t u = d.sock;
    io = (struct net_io){.sock = u, .bytes = 10, .addr = 0x7f000001, .port = 7200};
    check(net_send(&ch, &io, &d) == ERR_NOENT, "raw: UDP send with no grant: ERR_NOENT");
    struct grant g;
    check(grant_offer(&ch, 4096, &g) == OK, "raw: a 4 KiB grant");
    io.offset = 4090;
    check(net_send(&ch, &io, &d) == ERR_RANGE, "raw: UDP send past the grant: ERR_RANGE");
    io = (struct net_io){.sock = u, .bytes = 70000, .addr = 0x7f000001, .port = 7200};
    check(net_send(&ch, &io, &d) == ERR_TOOBIG, "raw: a datagram of 70000 bytes: ERR_TOOBIG");
    io.bytes = 10;
    io.offset = 1ull << 60;
    check(net_send(&ch, &io, &d) == ERR_RANGE, "raw: offset 2^60: ERR_RANGE");
    check(net_poll(&ch, &(struct net_poll){.offset = 4092, .count = 2}, &d) == ERR_RANGE,
          "raw: a poll array past the grant: ERR_RANGE");
    /* A receive that waits, then a second call before its answer. */
    struct net_endpoint e = {.sock = u, .addr = 0x7f000001, .port = 7201};
    check(net_bind(&ch, &e, NULL) == OK, "raw: UDP bound to 7201");
    msg_t m = MSG(NET_RECV);
    *msg_payload(&m, struct net_io) = (struct net_io){.sock = u, .bytes = 100};
    check(chan_send(&ch, &m) == OK, "raw: a receive that waits");
    msg_t second = MSG(NET_CLOSE), r;
    *msg_payload(&second, struct net_sock) = (struct net_sock){.sock = u};
    check(chan_call(&ch, &second, &r) == OK && r.type == ERR_BUSY,
          "raw: a second call meanwhile: ERR_BUSY");
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in to = loopback(7201);
    check(sendto(s, "wake", 4, 0, SA(to), sizeof to) == 4, "a datagram for the waiting receive");
    check(chan_recv(&ch, &r) == OK && r.type == OK &&
              msg_payload(&r, struct net_done)->bytes == 4 && memcmp((void *)g.va, "wake", 4) == 0,
          "raw: the waiting receive is answered with it");
    close(s);
    grant_drop(&g);
    chan_drop(&ch);
}

int main(void)
{
    text_and_addresses();
    tcp_basics();
    tcp_errors();
    udp();
    pipes();
    raw();
    printf("sock_probe: %d/%d checks passed\n", checks - failures, checks);
    return failures;
}
