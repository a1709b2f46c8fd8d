/* fd.c — file descriptors: a table that grows, each entry the console, a
 * hold of an FS handle, or a socket (socket.c). dup shares the open file (its position is FS's, so
 * it is shared with other processes too, as POSIX has it). A program inherits
 * its parent's descriptors, except sockets and those marked close-on-exec: the parent
 * lends each handle to it (FS_LEND) and names them in its environment
 * (FDS=0:c,1:f<handle>,...), and the child adopts them before main. */
#include "posix.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <proto_chan.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

PROTO_CHAN_CALLS(FS_MESSAGES)

#define FDS_ENV "FDS="

static struct fd *fds;
static int nfds;

struct fd *fd_get(int fd)
{
    if (fd < 0 || fd >= nfds || fds[fd].kind == FD_NONE) {
        errno = EBADF;
        return NULL;
    }
    return &fds[fd];
}

/* Room for descriptor fd. */
static int grow(int fd)
{
    if (fd < nfds)
        return 0;
    int cap = nfds ? nfds : 8;
    while (cap <= fd)
        cap *= 2;
    struct fd *grown = realloc(fds, (size_t)cap * sizeof *grown);
    if (grown == NULL) {
        errno = ENOMEM;
        return -1;
    }
    memset(grown + nfds, 0, (size_t)(cap - nfds) * sizeof *grown);
    fds = grown;
    nfds = cap;
    return 0;
}

static void install_at(int fd, enum fd_kind kind, struct open_file *of, bool cloexec)
{
    fds[fd] = (struct fd){kind, cloexec, of};
    if (of != NULL)
        of->refs++;
}

int fd_install(enum fd_kind kind, struct open_file *of, bool cloexec, int min)
{
    int fd = min;
    while (fd < nfds && fds[fd].kind != FD_NONE)
        fd++;
    if (fd == INT32_MAX) {
        errno = EMFILE;
        return -1;
    }
    if (grow(fd) != 0)
        return -1;
    install_at(fd, kind, of, cloexec);
    return fd;
}

int fd_close(int fd)
{
    struct fd *d = fd_get(fd);
    if (d == NULL)
        return -1;
    struct open_file *of = d->of;
    enum fd_kind kind = d->kind;
    *d = (struct fd){FD_NONE, false, NULL};
    if (of == NULL || --of->refs > 0)
        return 0;
    if (kind == FD_SOCKET)
        return socket_close(of);
    uint64_t handle = of->handle;
    free(of);
    struct chan *c = fs_chan();
    return c != NULL ? fs_result(fs_close(c, &(struct fs_handle){handle}, NULL)) : -1;
}

bool fd_isatty(int fd)
{
    struct fd *d = fd_get(fd);
    if (d != NULL && d->kind != FD_CONSOLE)
        errno = ENOTTY;
    return d != NULL && d->kind == FD_CONSOLE;
}

int dup(int fd)
{
    struct fd *d = fd_get(fd);
    return d != NULL ? fd_install(d->kind, d->of, false, 0) : -1;
}

int dup2(int fd, int to)
{
    struct fd *d = fd_get(fd);
    if (d == NULL)
        return -1;
    if (to < 0) {
        errno = EBADF;
        return -1;
    }
    if (to == fd)
        return to;
    if (grow(to) != 0)
        return -1;
    struct fd copy = *d;
    if (fds[to].kind != FD_NONE)
        (void)fd_close(to);
    install_at(to, copy.kind, copy.of, false);
    return to;
}

int fcntl(int fd, int cmd, ...)
{
    struct fd *d = fd_get(fd);
    if (d == NULL)
        return -1;
    va_list ap;
    va_start(ap, cmd);
    int arg = cmd == F_GETFD || cmd == F_GETFL ? 0 : va_arg(ap, int);
    va_end(ap);
    switch (cmd) {
    case F_DUPFD:
    case F_DUPFD_CLOEXEC:
        if (arg < 0) {
            errno = EINVAL;
            return -1;
        }
        return fd_install(d->kind, d->of, cmd == F_DUPFD_CLOEXEC, arg);
    case F_GETFD:
        return d->cloexec ? FD_CLOEXEC : 0;
    case F_SETFD:
        d->cloexec = (arg & FD_CLOEXEC) != 0;
        return 0;
    case F_GETFL:
        return d->of != NULL ? d->of->flags : O_RDWR;
    case F_SETFL:
        if (d->kind == FD_SOCKET)
            return socket_set_nonblock(d->of, (arg & O_NONBLOCK) != 0);
        return 0; /* a file's O_APPEND and O_NONBLOCK cannot be changed after the open here */
    default:
        errno = EINVAL;
        return -1;
    }
}

/* O_* of FS's FS_O_READ, FS_O_WRITE and FS_O_APPEND. */
static int oflags_of(uint32_t flags)
{
    int acc = (flags & FS_O_READ) && (flags & FS_O_WRITE) ? O_RDWR
              : (flags & FS_O_WRITE)                      ? O_WRONLY
                                                          : O_RDONLY;
    return acc | ((flags & FS_O_APPEND) ? O_APPEND : 0);
}

/* One FDS entry "N:c" or "N:f<hex>": installed at N. */
static void adopt_one(const char *s, const char *end)
{
    char *next;
    long fd = strtol(s, &next, 10);
    if (next >= end || *next != ':' || fd < 0 || fd > 65536 || grow((int)fd) != 0)
        return;
    if (next[1] == 'c') {
        install_at((int)fd, FD_CONSOLE, NULL, false);
        return;
    }
    if (next[1] != 'f')
        return;
    uint64_t handle = strtoull(next + 2, NULL, 16);
    struct chan *c = fs_chan();
    struct fs_opened got;
    struct open_file *of = malloc(sizeof *of);
    if (c == NULL || of == NULL || fs_adopt(c, &(struct fs_handle){handle}, &got) != OK) {
        free(of);
        return; /* the lender is gone, or lent nothing: this descriptor stays closed */
    }
    *of = (struct open_file){.handle = handle, .mode = got.mode, .flags = oflags_of(got.flags)};
    install_at((int)fd, FD_FILE, of, false);
}

void fd_init(char **envp)
{
    int at = -1;
    for (int i = 0; envp != NULL && envp[i] != NULL; i++)
        if (strncmp(envp[i], FDS_ENV, strlen(FDS_ENV)) == 0)
            at = i;
    if (at < 0) {
        if (grow(2) == 0)
            for (int fd = 0; fd <= 2; fd++)
                install_at(fd, FD_CONSOLE, NULL, false);
        return;
    }
    int saved = errno;
    for (const char *s = envp[at] + strlen(FDS_ENV); *s != '\0';) {
        const char *end = strchr(s, ',');
        end = end != NULL ? end : s + strlen(s);
        adopt_one(s, end);
        s = *end == ',' ? end + 1 : end;
    }
    errno = saved;
    for (int i = at; envp[i] != NULL; i++)
        envp[i] = envp[i + 1]; /* FDS is for this library, not for the program */
}

char **fd_env_for_child(char *const envp[])
{
    int n = 0;
    while (envp != NULL && envp[n] != NULL)
        n++;
    char **env = malloc((size_t)(n + 2) * sizeof *env);
    size_t cap = strlen(FDS_ENV) + 1 + (size_t)nfds * 32;
    char *list = malloc(cap);
    if (env == NULL || list == NULL) {
        free(env);
        free(list);
        errno = ENOMEM;
        return NULL;
    }
    int k = 0;
    for (int i = 0; i < n; i++)
        if (strncmp(envp[i], FDS_ENV, strlen(FDS_ENV)) != 0)
            env[k++] = envp[i];
    size_t len = (size_t)snprintf(list, cap, "%s", FDS_ENV);
    struct chan *c = NULL;
    for (int fd = 0; fd < nfds; fd++) {
        const struct fd *d = &fds[fd];
        if (d->kind == FD_NONE || d->kind == FD_SOCKET || d->cloexec)
            continue; /* a socket is its channel's, and the channel this process's */
        if (d->kind == FD_FILE) {
            if ((c = c != NULL ? c : fs_chan()) == NULL ||
                fs_lend(c, &(struct fs_handle){d->of->handle}, NULL) != OK)
                continue; /* not lent: the child will not have it */
            len += (size_t)snprintf(list + len, cap - len, "%s%d:f%" PRIx64,
                                    len > strlen(FDS_ENV) ? "," : "", fd, d->of->handle);
        } else {
            len += (size_t)snprintf(list + len, cap - len, "%s%d:c",
                                    len > strlen(FDS_ENV) ? "," : "", fd);
        }
    }
    env[k++] = list;
    env[k] = NULL;
    return env;
}

void fd_spawned(char **env, bool started)
{
    if (env == NULL)
        return;
    int last = 0;
    while (env[last + 1] != NULL)
        last++;
    char *list = env[last];
    if (!started) { /* take back what was lent to a program that never ran */
        struct chan *c = fs_chan();
        for (const char *s = strstr(list, ":f"); c != NULL && s != NULL; s = strstr(s + 2, ":f")) {
            struct fs_handle h = {strtoull(s + 2, NULL, 16)};
            struct fs_opened got;
            if (fs_adopt(c, &h, &got) == OK)
                (void)fs_close(c, &h, NULL);
        }
    }
    free(list);
    free(env);
}
