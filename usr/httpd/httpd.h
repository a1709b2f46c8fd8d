/* httpd.h — httpd's parts: the connection table and its state machine
 * (conn.c), understanding a request and building its response
 * (request.c), and the server loop (httpd.c). */
#ifndef HTTPD_H
#define HTTPD_H

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

/* httpd.c */
bool set_nonblocking(int fd);
bool would_block(int e);
const char *status_text(int status);
const char *content_type(const char *path);
/* conn.c */
struct conn *conn_add(struct server *s, int fd, const struct sockaddr_in *from);
void conn_close(struct server *s, size_t i);
void conn_log(const struct conn *c);
void conn_report(const struct server *s, const struct conn *c, const char *what);
void conn_event(struct server *s, size_t i, short revents);
/* request.c */
bool response_start(struct conn *c, int status, const char *type, off_t length, const char *body);
bool response_error(struct conn *c, int status);
bool request_answer(struct server *s, struct conn *c, bool complete);
size_t headers_end(const char *p, size_t len, size_t from);

#endif
