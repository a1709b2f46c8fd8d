/* redir.c — points the shell's own 0, 1 and 2 where a stage wants them just
 * for its spawn (a spawned program inherits the descriptors that are not
 * close-on-exec), then puts them back. The copies it keeps are close-on-exec
 * and above 10, so no child ever holds them. */
#include "sh.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

void fd_save_init(struct fd_save *s)
{
    /* Output the shell printed so far goes where it was meant to. */
    fflush(stdout);
    fflush(stderr);
    for (int i = 0; i < 3; i++)
        s->fd[i] = FD_UNTOUCHED;
}

/* Keeps a copy of fd as it is now, once. */
static int save(struct fd_save *s, int fd)
{
    if (s->fd[fd] != FD_UNTOUCHED)
        return 0;
    int copy = fcntl(fd, F_DUPFD_CLOEXEC, 10);
    if (copy < 0) {
        if (errno != EBADF)
            return -1;
        copy = FD_WAS_CLOSED;
    }
    s->fd[fd] = copy;
    return 0;
}

int fd_move(struct fd_save *s, int fd, int from)
{
    if (save(s, fd) != 0)
        return -1;
    /* dup2 clears close-on-exec on fd: the child inherits it. */
    return dup2(from, fd) < 0 ? -1 : 0;
}

static int open_flags(enum redir_op op)
{
    switch (op) {
    case REDIR_IN:
        return O_RDONLY;
    case REDIR_OUT:
        return O_WRONLY | O_CREAT | O_TRUNC;
    default:
        return O_WRONLY | O_CREAT | O_APPEND;
    }
}

/* Opens r's file onto r->fd. */
static int redir_open(struct fd_save *s, const struct redir *r)
{
    if (save(s, r->fd) != 0)
        return -1;
    int fd = open(r->path, open_flags(r->op) | O_CLOEXEC, 0666);
    if (fd < 0)
        return -1;
    if (fd == r->fd) /* it was closed, and open reused it: let the child have it */
        return fcntl(fd, F_SETFD, 0) < 0 ? -1 : 0;
    int rc = fd_move(s, r->fd, fd);
    int e = errno;
    close(fd);
    errno = e;
    return rc;
}

const struct redir *redir_apply(struct fd_save *s, const struct redir *r, int n)
{
    for (int i = 0; i < n; i++) {
        int rc = r[i].op == REDIR_DUP ? fd_move(s, r[i].fd, r[i].from) : redir_open(s, &r[i]);
        if (rc != 0)
            return &r[i];
    }
    return NULL;
}

void fd_restore(struct fd_save *s)
{
    /* What a built-in printed goes to the redirected file, not after it. */
    fflush(stdout);
    fflush(stderr);
    for (int i = 0; i < 3; i++) {
        if (s->fd[i] >= 0) {
            (void)dup2(s->fd[i], i);
            close(s->fd[i]);
        } else if (s->fd[i] == FD_WAS_CLOSED) {
            close(i);
        }
        s->fd[i] = FD_UNTOUCHED;
    }
}
