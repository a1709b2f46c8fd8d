/* httpd.c — httpd [-p PORT] [-v] DIR: serves the files under DIR over HTTP/1.0 (GET and HEAD;
 * HTTP/1.0 and HTTP/1.1 request lines), one request per connection, answered with
 * "Connection: close". One process, one poll loop, every socket non-blocking: each connection
 * is its own small state machine (reading the request, sending the response, draining what the
 * client still sends), so a client that stalls only stalls itself. Files are streamed in 64 KiB
 * chunks as the socket takes them, never read whole.
 *
 * A directory is answered with its index.html, or 403 if it has none. A request line and its
 * headers together may hold 8 KiB; more is a 400. So is a target that is not absolute, a bad
 * %XX escape, a NUL, or a ".." segment. Symbolic links under DIR are followed. Other answers:
 * 404 (missing), 403 (unreadable, or not a regular file), 405 (not GET or HEAD), 505 (not
 * HTTP/1.0 or 1.1), 503 (out of descriptors), 500 (anything else); each with a one-line body.
 *
 * Standard output gets "httpd: serving DIR on port PORT" at start, then one line per request
 * once it is finished: httpd: ADDR:PORT "REQUEST LINE" STATUS BODY_BYTES_SENT ("-" for a line
 * that did not parse; control characters and '"' become '?'; long lines are cut). -v adds
 * connection errors on standard error. Only startup fails: status 1, or 2 for bad usage.
 * Idle time is counted in poll timeouts of a second each, since there may be no clock: a
 * connection idle through IDLE_TICKS of them is dropped (busy neighbours delay that). */

#include "httpd.h"

static void usage(void) { fprintf(stderr, "usage: httpd [-p PORT] [-v] DIR\n"); }

static bool parse_port(const char *s, unsigned *out)
{
    char *end;
    unsigned long v = strtoul(s, &end, 10);
    if (*s < '0' || *s > '9' || *end != '\0' || v < 1 || v > 65535)
        return false;
    *out = (unsigned)v;
    return true;
}

bool set_nonblocking(int fd)
{
    int flags = fcntl(fd, F_GETFL);
    return flags >= 0 && fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0;
}

bool would_block(int e) { return e == EAGAIN || e == EWOULDBLOCK; }

const char *status_text(int status)
{
    static const struct {
        int status;
        const char *text;
    } texts[] = {
        {200, "OK"},
        {400, "Bad Request"},
        {403, "Forbidden"},
        {404, "Not Found"},
        {405, "Method Not Allowed"},
        {503, "Service Unavailable"},
        {505, "HTTP Version Not Supported"},
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        if (texts[i].status == status)
            return texts[i].text;
    return "Internal Server Error";
}

const char *content_type(const char *path)
{
    static const struct {
        const char *ext, *type;
    } types[] = {
        {"txt", "text/plain"}, {"html", "text/html"},     {"htm", "text/html"},
        {"css", "text/css"},   {"js", "text/javascript"}, {"json", "application/json"},
        {"png", "image/png"},  {"jpg", "image/jpeg"},     {"gif", "image/gif"},
    };
    const char *base = strrchr(path, '/');
    const char *dot = strrchr(base ? base : path, '.');
    if (!dot)
        return "text/plain";
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (strcmp(dot + 1, types[i].ext) == 0)
            return types[i].type;
    return "application/octet-stream";
}

static void server_tick(struct server *s)
{
    s->listener_paused = false;
    for (size_t i = s->count; i-- > 0;) {
        struct conn *c = &s->conns[i];
        unsigned limit = c->state == CONN_DRAINING ? DRAIN_TICKS : IDLE_TICKS;
        if (++c->idle_ticks < limit)
            continue;
        if (c->state == CONN_SENDING) {
            errno = ETIMEDOUT;
            conn_report(s, c, "send");
            conn_log(c);
        }
        conn_close(s, i);
    }
}

static void server_accept(struct server *s)
{
    for (;;) {
        struct sockaddr_in from;
        socklen_t len = sizeof from;
        int fd = accept(s->listener, (struct sockaddr *)&from, &len);
        if (fd < 0) {
            if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM)
                s->listener_paused = true;
            if (!would_block(errno) && errno != EINTR && s->verbose)
                fprintf(stderr, "httpd: accept: %s\n", strerror(errno));
            return;
        }
        if (!set_nonblocking(fd) || !conn_add(s, fd, &from)) {
            fprintf(stderr, "httpd: dropping a connection: %s\n", strerror(errno));
            close(fd);
        }
    }
}

static bool server_poll_prepare(struct server *s, size_t *n)
{
    *n = s->count + 1;
    if (*n > s->pfd_cap) {
        size_t cap = *n * 2;
        struct pollfd *grown = realloc(s->pfds, cap * sizeof *grown);
        if (!grown)
            return false;
        s->pfds = grown;
        s->pfd_cap = cap;
    }
    s->pfds[0] = (struct pollfd){.fd = s->listener, .events = s->listener_paused ? 0 : POLLIN};
    for (size_t i = 0; i < s->count; i++) {
        short events = s->conns[i].state == CONN_SENDING ? POLLOUT : POLLIN;
        s->pfds[i + 1] = (struct pollfd){.fd = s->conns[i].fd, .events = events};
    }
    return true;
}

static int server_run(struct server *s)
{
    for (;;) {
        size_t n;
        if (!server_poll_prepare(s, &n)) {
            fprintf(stderr, "httpd: out of memory\n");
            return 1;
        }
        int timeout = s->count > 0 || s->listener_paused ? TICK_MS : -1;
        int ready = poll(s->pfds, (nfds_t)n, timeout);
        if (ready < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (ready < 0) {
            fprintf(stderr, "httpd: poll: %s\n", strerror(errno));
            return 1;
        }
        if (ready == 0) {
            server_tick(s);
            continue;
        }
        /* Downwards, so that conn_close's move of the last entry touches only done ones. */
        for (size_t i = n - 1; i-- > 0;)
            if (s->pfds[i + 1].revents)
                conn_event(s, i, s->pfds[i + 1].revents);
        if (s->pfds[0].revents)
            server_accept(s);
    }
}

static int server_listen(unsigned port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) {
        fprintf(stderr, "httpd: socket: %s\n", strerror(errno));
        return -1;
    }
    int one = 1;
    if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0)
        fprintf(stderr, "httpd: SO_REUSEADDR: %s\n", strerror(errno));
    struct sockaddr_in addr = {.sin_family = AF_INET,
                               .sin_port = htons((unsigned short)port),
                               .sin_addr.s_addr = htonl(INADDR_ANY)};
    const char *what = "bind";
    if (bind(fd, (struct sockaddr *)&addr, sizeof addr) == 0) {
        what = "listen";
        if (listen(fd, LISTEN_BACKLOG) == 0) {
            what = "fcntl";
            if (set_nonblocking(fd))
                return fd;
        }
    }
    fprintf(stderr, "httpd: %s port %u: %s\n", what, port, strerror(errno));
    close(fd);
    return -1;
}

static void server_free(struct server *s)
{
    while (s->count > 0)
        conn_close(s, s->count - 1);
    if (s->listener >= 0)
        close(s->listener);
    free(s->conns);
    free(s->pfds);
    free(s->dir);
}

/* Keeps DIR without its trailing slashes: each request's path brings its own. */
static bool server_set_dir(struct server *s, const char *dir)
{
    size_t len = strlen(dir);
    while (len > 0 && dir[len - 1] == '/')
        len--;
    char *copy = malloc(len + 1);
    if (!copy)
        return false;
    memcpy(copy, dir, len);
    copy[len] = '\0';
    s->dir = copy;
    s->dir_len = len;
    return true;
}

int main(int argc, char **argv)
{
    unsigned port = DEFAULT_PORT;
    struct server s = {.listener = -1};
    int opt;
    while ((opt = getopt(argc, argv, "p:v")) != -1) {
        if (opt == 'p' && parse_port(optarg, &port))
            continue;
        if (opt == 'v') {
            s.verbose = true;
            continue;
        }
        usage();
        return 2;
    }
    if (optind != argc - 1) {
        usage();
        return 2;
    }
    const char *dir = argv[optind];
    struct stat st;
    errno = 0;
    if (stat(dir, &st) == 0 && !S_ISDIR(st.st_mode))
        errno = ENOTDIR;
    if (errno != 0 || !server_set_dir(&s, dir)) {
        fprintf(stderr, "httpd: %s: %s\n", dir, strerror(errno));
        return 1;
    }
    s.listener = server_listen(port);
    int status = 1;
    if (s.listener >= 0) {
        printf("httpd: serving %s on port %u\n", dir, port);
        fflush(stdout);
        status = server_run(&s);
    }
    server_free(&s);
    return status;
}
