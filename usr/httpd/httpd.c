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
#include <sys/stat.h>
#include <unistd.h>

#define DEFAULT_PORT      80
#define LISTEN_BACKLOG    128
#define REQUEST_MAX       8192 /* request line and headers; a protocol limit, not a memory one */
#define REQUEST_FIRST_CAP 1024
#define CHUNK             65536 /* file bytes read per refill */
#define HEAD_MAX          512   /* room for our own response header */
#define LOG_LINE_MAX      200   /* request line bytes kept for the log */
#define TICK_MS           1000
#define IDLE_TICKS        30 /* reading or sending with no progress */
#define DRAIN_TICKS       2  /* waiting for the client to close after the response */
#define DRAIN_MAX         (1 << 20)
#define SENDS_PER_EVENT   4 /* so one fast client cannot keep the loop to itself */

enum conn_state { CONN_READING, CONN_SENDING, CONN_DRAINING };

struct conn {
    int fd;
    enum conn_state state;
    char peer[INET_ADDRSTRLEN + 8]; /* "A.B.C.D:PORT" */
    char *req;                      /* the request as received so far */
    size_t req_len, req_cap;
    char line[LOG_LINE_MAX + 4]; /* the request line for the log */
    bool head_only;
    int status;
    int file;        /* the file being sent, or -1 */
    off_t body_left; /* file bytes not yet read into out */
    char *out;
    size_t out_cap, out_len, out_pos;
    size_t head_left; /* bytes of our header still at the front of out */
    long body_sent;
    unsigned idle_ticks;
    size_t drained;
};

struct server {
    char *dir; /* DIR without its trailing slashes */
    size_t dir_len;
    int listener;
    bool verbose;
    bool listener_paused; /* out of descriptors: stop accepting for a while */
    struct conn *conns;
    size_t count, cap;
    struct pollfd *pfds;
    size_t pfd_cap;
};

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

static bool set_nonblocking(int fd)
{
    int flags = fcntl(fd, F_GETFL);
    return flags >= 0 && fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0;
}

static bool would_block(int e) { return e == EAGAIN || e == EWOULDBLOCK; }

static const char *status_text(int status)
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

static const char *content_type(const char *path)
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

/* ---- the connection table ---- */

static struct conn *conn_add(struct server *s, int fd, const struct sockaddr_in *from)
{
    if (s->count == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 16;
        struct conn *grown = realloc(s->conns, cap * sizeof *grown);
        if (!grown)
            return NULL;
        s->conns = grown;
        s->cap = cap;
    }
    struct conn *c = &s->conns[s->count++];
    *c = (struct conn){.fd = fd, .state = CONN_READING, .file = -1};
    char addr[INET_ADDRSTRLEN] = "?";
    inet_ntop(AF_INET, &from->sin_addr, addr, sizeof addr);
    snprintf(c->peer, sizeof c->peer, "%s:%u", addr, (unsigned)ntohs(from->sin_port));
    strcpy(c->line, "-");
    return c;
}

/* Removes entry i by moving the last one into its place: callers walk the table downwards. */
static void conn_close(struct server *s, size_t i)
{
    struct conn *c = &s->conns[i];
    close(c->fd);
    if (c->file >= 0)
        close(c->file);
    free(c->req);
    free(c->out);
    s->conns[i] = s->conns[--s->count];
    s->listener_paused = false;
}

static void conn_log(const struct conn *c)
{
    printf("httpd: %s \"%s\" %d %ld\n", c->peer, c->line, c->status, c->body_sent);
    fflush(stdout);
}

static void conn_report(const struct server *s, const struct conn *c, const char *what)
{
    if (s->verbose)
        fprintf(stderr, "httpd: %s: %s: %s\n", c->peer, what, strerror(errno));
}

/* ---- building the response ---- */

/* Prepares out to hold our header, followed by body (when not NULL) or by the file's bytes. */
static bool response_start(struct conn *c, int status, const char *type, off_t length,
                           const char *body)
{
    size_t body_len = body ? strlen(body) : 0;
    size_t room = CHUNK;
    if (c->head_only || body)
        room = body_len;
    else if (length < (off_t)room)
        room = (size_t)length;
    c->out_cap = HEAD_MAX + room;
    c->out = malloc(c->out_cap);
    if (!c->out)
        return false;
    int n = snprintf(c->out, HEAD_MAX,
                     "HTTP/1.0 %d %s\r\nContent-Length: %ld\r\nContent-Type: %s\r\n%s"
                     "Connection: close\r\n\r\n",
                     status, status_text(status), (long)length, type,
                     status == 405 ? "Allow: GET, HEAD\r\n" : "");
    if (n < 0 || n >= HEAD_MAX)
        return false;
    c->status = status;
    c->out_len = c->head_left = (size_t)n;
    c->out_pos = 0;
    if (body && !c->head_only) {
        memcpy(c->out + c->out_len, body, body_len);
        c->out_len += body_len;
    }
    c->body_left = c->head_only || body ? 0 : length;
    c->state = CONN_SENDING;
    return true;
}

static bool response_error(struct conn *c, int status)
{
    char body[64];
    snprintf(body, sizeof body, "%d %s\n", status, status_text(status));
    return response_start(c, status, "text/plain", (off_t)strlen(body), body);
}

/* ---- understanding the request ---- */

static int hex_digit(char ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    return -1;
}

/* Decodes target up to any query string into out (as large as target). False for a bad
 * escape, an escaped NUL, or a path that is not absolute. */
static bool path_decode(const char *target, char *out)
{
    if (target[0] != '/')
        return false;
    size_t n = 0;
    for (const char *p = target; *p && *p != '?'; p++) {
        if (*p != '%') {
            out[n++] = *p;
            continue;
        }
        int hi = hex_digit(p[1]), lo = hi < 0 ? -1 : hex_digit(p[2]);
        if (lo < 0 || (hi == 0 && lo == 0))
            return false;
        out[n++] = (char)(hi << 4 | lo);
        p += 2;
    }
    out[n] = '\0';
    return true;
}

/* ".." as a whole segment would climb out of DIR; "a..b" is only a name. */
static bool path_climbs(const char *path)
{
    for (const char *seg = path; seg; seg = strchr(seg + 1, '/'))
        if (strncmp(seg, "/..", 3) == 0 && (seg[3] == '/' || seg[3] == '\0'))
            return true;
    return false;
}

static int errno_status(int e)
{
    if (e == ENOENT || e == ENOTDIR || e == ENAMETOOLONG)
        return 404;
    if (e == EACCES || e == EPERM)
        return 403;
    if (e == EMFILE || e == ENFILE)
        return 503; /* the connections have every descriptor: worth trying again later */
    return 500;
}

/* Opens the file that path names under DIR, or a directory's index.html. */
static int file_open(const struct server *s, const char *path, struct conn *c, off_t *size,
                     const char **type)
{
    static const char index[] = "/index.html";
    char *full = malloc(s->dir_len + strlen(path) + sizeof index);
    if (!full)
        return 500;
    sprintf(full, "%s%s", s->dir, path);
    struct stat st;
    int status = 200;
    if (stat(full, &st) != 0) {
        status = errno_status(errno);
    } else if (S_ISDIR(st.st_mode)) {
        strcat(full, index);
        if (stat(full, &st) != 0)
            status = errno == ENOENT ? 403 : errno_status(errno);
    }
    /* Checked before open, which would wait forever on a FIFO. */
    if (status == 200 && !S_ISREG(st.st_mode))
        status = 403;
    if (status == 200) {
        c->file = open(full, O_RDONLY);
        if (c->file < 0)
            status = errno_status(errno);
        else if (fstat(c->file, &st) != 0 || !S_ISREG(st.st_mode))
            status = 403;
    }
    if (status == 200) {
        *size = st.st_size;
        *type = content_type(full);
    }
    free(full);
    return status;
}

static void line_for_log(struct conn *c, const char *line, size_t len)
{
    size_t keep = len < LOG_LINE_MAX ? len : LOG_LINE_MAX;
    for (size_t i = 0; i < keep; i++) {
        unsigned char ch = (unsigned char)line[i];
        c->line[i] = ch < 0x20 || ch >= 0x7f || ch == '"' ? '?' : (char)ch;
    }
    strcpy(c->line + keep, keep < len ? "..." : "");
}

/* Splits "METHOD SP TARGET SP VERSION" in place. */
static bool line_split(char *line, char **method, char **target, char **version)
{
    *method = line;
    *target = strchr(line, ' ');
    if (!*target)
        return false;
    *(*target)++ = '\0';
    *version = strchr(*target, ' ');
    if (!*version)
        return false;
    *(*version)++ = '\0';
    if (**method == '\0' || **target == '\0' || strchr(*version, ' '))
        return false;
    for (const char *p = *method; *p; p++)
        if (*p < 'A' || *p > 'Z')
            return false;
    return strncmp(*version, "HTTP/", 5) == 0;
}

/* Decides the response to the request in c->req, whose line ends at line_len. */
static int request_status(const struct server *s, struct conn *c, size_t line_len, bool complete,
                          off_t *size, const char **type)
{
    char *line = c->req;
    if (line_len > 0 && line[line_len - 1] == '\r')
        line_len--;
    if (memchr(line, '\0', line_len))
        return 400;
    line[line_len] = '\0';
    char *method, *target, *version;
    line_for_log(c, line, line_len); /* before line_split cuts it up */
    if (!line_split(line, &method, &target, &version)) {
        strcpy(c->line, "-");
        return 400;
    }
    if (!complete)
        return 400; /* headers too long, or the client closed in the middle of them */
    c->head_only = strcmp(method, "HEAD") == 0;
    if (strcmp(version, "HTTP/1.0") != 0 && strcmp(version, "HTTP/1.1") != 0)
        return 505;
    if (!c->head_only && strcmp(method, "GET") != 0)
        return 405;
    char *path = malloc(strlen(target) + 1);
    if (!path)
        return 500;
    int status = 400;
    if (path_decode(target, path) && !path_climbs(path))
        status = file_open(s, path, c, size, type);
    free(path);
    return status;
}

/* The request is whole (or will never be): choose and start the response. */
static bool request_answer(struct server *s, struct conn *c, bool complete)
{
    char *nl = memchr(c->req, '\n', c->req_len);
    int status = 400;
    off_t size = 0;
    const char *type = NULL;
    if (nl)
        status = request_status(s, c, (size_t)(nl - c->req), complete, &size, &type);
    if (status == 200)
        return response_start(c, 200, type, size, NULL);
    return response_error(c, status);
}

/* Where the headers end ("\r\n\r\n", or "\n\n" from lax clients), or 0 if not yet. */
static size_t headers_end(const char *p, size_t len, size_t from)
{
    for (size_t i = from; i < len; i++) {
        if (p[i] != '\n')
            continue;
        if (i >= 1 && p[i - 1] == '\n')
            return i + 1;
        if (i >= 2 && p[i - 1] == '\r' && p[i - 2] == '\n')
            return i + 1;
    }
    return 0;
}

/* ---- the state machine ---- */

static void conn_finish(struct server *s, size_t i)
{
    struct conn *c = &s->conns[i];
    conn_log(c);
    if (c->file >= 0) {
        close(c->file);
        c->file = -1;
    }
    /* Closing with unread request bytes would reset the connection and could cut off our
     * response in flight, so say we are done and wait for the client to close first. */
    shutdown(c->fd, SHUT_WR);
    c->state = CONN_DRAINING;
    c->idle_ticks = 0;
}

/* Fills out's free room from the file, unless part of out is already sent (then the rest goes
 * first). The first chunk so shares a segment with the header. False when the file fails us. */
static bool conn_refill(struct server *s, struct conn *c)
{
    if (c->out_pos == c->out_len)
        c->out_pos = c->out_len = 0;
    if (c->body_left == 0 || c->out_pos > 0 || c->out_len == c->out_cap)
        return true;
    size_t want = c->out_cap - c->out_len;
    if ((off_t)want > c->body_left)
        want = (size_t)c->body_left;
    ssize_t n = read(c->file, c->out + c->out_len, want);
    if (n <= 0) {
        if (n == 0)
            errno = EIO; /* the file shrank under us: the promised length cannot be kept */
        conn_report(s, c, "read");
        return false;
    }
    c->out_len += (size_t)n;
    c->body_left -= n;
    return true;
}

static void conn_sent(struct conn *c, size_t n)
{
    c->out_pos += n;
    if (c->head_left >= n) {
        c->head_left -= n;
        return;
    }
    c->body_sent += (long)(n - c->head_left);
    c->head_left = 0;
}

static void conn_write(struct server *s, size_t i)
{
    struct conn *c = &s->conns[i];
    for (int round = 0; round < SENDS_PER_EVENT; round++) {
        if (!conn_refill(s, c)) {
            conn_log(c);
            conn_close(s, i);
            return;
        }
        if (c->out_pos == c->out_len) {
            conn_finish(s, i);
            return;
        }
        ssize_t n = send(c->fd, c->out + c->out_pos, c->out_len - c->out_pos, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && would_block(errno))
            return;
        if (n <= 0) {
            conn_report(s, c, "send");
            conn_log(c);
            conn_close(s, i);
            return;
        }
        conn_sent(c, (size_t)n);
    }
}

static bool conn_grow_request(struct conn *c)
{
    if (c->req_len < c->req_cap)
        return true;
    size_t cap = c->req_cap ? c->req_cap * 2 : REQUEST_FIRST_CAP;
    if (cap > REQUEST_MAX)
        cap = REQUEST_MAX;
    char *grown = realloc(c->req, cap);
    if (!grown)
        return false;
    c->req = grown;
    c->req_cap = cap;
    return true;
}

static void conn_read(struct server *s, size_t i)
{
    struct conn *c = &s->conns[i];
    if (!conn_grow_request(c)) {
        conn_close(s, i);
        return;
    }
    ssize_t n = recv(c->fd, c->req + c->req_len, c->req_cap - c->req_len, 0);
    if (n < 0 && (errno == EINTR || would_block(errno)))
        return;
    if (n < 0) {
        conn_report(s, c, "recv");
        conn_close(s, i);
        return;
    }
    if (n == 0) {
        /* Closed before a whole request: say so if there was a start of one. */
        if (c->req_len == 0 || !request_answer(s, c, false))
            conn_close(s, i);
        return;
    }
    size_t from = c->req_len > 3 ? c->req_len - 3 : 0;
    c->req_len += (size_t)n;
    bool complete = headers_end(c->req, c->req_len, from) != 0;
    if (complete || c->req_len == REQUEST_MAX) {
        if (!request_answer(s, c, complete))
            conn_close(s, i);
    }
}

static void conn_drain(struct server *s, size_t i)
{
    static char scratch[4096];
    struct conn *c = &s->conns[i];
    ssize_t n = recv(c->fd, scratch, sizeof scratch, 0);
    if (n < 0 && (errno == EINTR || would_block(errno)))
        return;
    c->drained += n > 0 ? (size_t)n : 0;
    if (n <= 0 || c->drained > DRAIN_MAX)
        conn_close(s, i);
}

static void conn_event(struct server *s, size_t i, short revents)
{
    struct conn *c = &s->conns[i];
    c->idle_ticks = 0;
    /* An error or hangup shows itself in the recv or send that follows. */
    if (revents & POLLNVAL) {
        conn_close(s, i);
        return;
    }
    if (c->state == CONN_READING)
        conn_read(s, i);
    else if (c->state == CONN_SENDING)
        conn_write(s, i);
    else
        conn_drain(s, i);
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
