/* conn.c — httpd's connections: the table (it grows) and each
 * connection's small state machine: reading the request, sending the
 * response as the socket takes it, then draining what the client still
 * sends until it closes. */
#include "httpd.h"

/* ---- the connection table ---- */

struct conn *conn_add(struct server *s, int fd, const struct sockaddr_in *from)
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
void conn_close(struct server *s, size_t i)
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

void conn_log(const struct conn *c)
{
    printf("httpd: %s \"%s\" %d %ld\n", c->peer, c->line, c->status, c->body_sent);
    fflush(stdout);
}

void conn_report(const struct server *s, const struct conn *c, const char *what)
{
    if (s->verbose)
        fprintf(stderr, "httpd: %s: %s: %s\n", c->peer, what, strerror(errno));
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

void conn_event(struct server *s, size_t i, short revents)
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
