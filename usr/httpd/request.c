/* request.c — understanding an HTTP request (its line, its target as a
 * path under DIR) and building the response's header. */
#include "httpd.h"

/* ---- building the response ---- */

/* Prepares out to hold our header, followed by body (when not NULL) or by the file's bytes. */
bool response_start(struct conn *c, int status, const char *type, off_t length, const char *body)
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

bool response_error(struct conn *c, int status)
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
bool request_answer(struct server *s, struct conn *c, bool complete)
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
size_t headers_end(const char *p, size_t len, size_t from)
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
