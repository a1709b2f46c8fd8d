/* dir.c — directory streams: a descriptor of the directory and a buffer of
 * entries that FS_READDIR fills, as many as fit, from a cookie FS gives. */
#include "posix.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <proto_chan.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

PROTO_CHAN_CALLS(FS_MESSAGES)

#define DIR_BUF 4096

struct posix_dir {
    int fd;
    uint64_t cookie; /* where the next FS_READDIR starts */
    uint32_t used, at;
    bool end;
    struct dirent ent;
    _Alignas(8) uint8_t buf[DIR_BUF]; /* entries are 8-aligned in it (struct fs_dirent) */
};

DIR *opendir(const char *path)
{
    DIR *d = malloc(sizeof *d);
    if (d == NULL) {
        errno = ENOMEM;
        return NULL;
    }
    d->fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (d->fd < 0) {
        free(d);
        return NULL;
    }
    d->cookie = 0;
    d->used = d->at = 0;
    d->end = false;
    return d;
}

static int refill(DIR *d)
{
    struct fd *f = fd_get(d->fd);
    if (f == NULL || f->kind != FD_FILE)
        return -1;
    struct fs_readdir q = {
        .handle = f->of->handle, .cookie = d->cookie, .out = FS_GRANT_DATA, .cap = DIR_BUF};
    struct fs_dirents got;
    if (fs_result(fs_readdir(fs_chan(), &q, &got)) != 0)
        return -1;
    if (got.bytes > DIR_BUF)
        got.bytes = DIR_BUF;
    memcpy(d->buf, fs_grant() + FS_GRANT_DATA, got.bytes);
    d->used = got.bytes;
    d->at = 0;
    d->cookie = got.cookie;
    d->end = got.count == 0;
    return 0;
}

struct dirent *readdir(DIR *d)
{
    if (d->at >= d->used) {
        int saved = errno;
        if (d->end || refill(d) != 0 || d->end)
            return NULL;
        errno = saved;
    }
    const struct fs_dirent *e = (const struct fs_dirent *)(d->buf + d->at);
    if (e->reclen < sizeof *e || d->at + e->reclen > d->used) {
        d->end = true; /* FS sent what does not parse: stop rather than read past it */
        errno = EIO;
        return NULL;
    }
    d->at += e->reclen;
    d->ent.d_ino = (ino_t)e->ino;
    d->ent.d_type = e->type;
    size_t n = e->name_len;
    memcpy(d->ent.d_name, e->name, n);
    d->ent.d_name[n] = '\0';
    return &d->ent;
}

void rewinddir(DIR *d)
{
    d->cookie = 0;
    d->used = d->at = 0;
    d->end = false;
}

int dirfd(DIR *d) { return d->fd; }

int closedir(DIR *d)
{
    int r = close(d->fd);
    free(d);
    return r;
}
