/* files.c — the POSIX file calls as messages to FS (proto/fs.h). Paths and
 * data go through the frame granted to FS (fs_client.c); a read or write
 * moves at most FS_DATA_MAX bytes a message, and a write repeats until all
 * of it is written (a pipe takes what has room). */
#include "posix.h"

#include <errno.h>
#include <fcntl.h>
#include <proto_chan.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/time.h>
#include <unistd.h>

PROTO_CHAN_CALLS(FS_MESSAGES)

static mode_t mask = 022;

/* FS's answer to a call that makes a file larger or adds a link: ERR_TOOBIG
 * means a file too large (EFBIG) or too many links (EMLINK). */
static int result_as(err_t err, int toobig)
{
    if (err == ERR_TOOBIG) {
        errno = toobig;
        return -1;
    }
    return fs_result(err);
}

int _open(const char *path, int flags, int mode)
{
    struct fs_open o = {.mode = (uint32_t)mode & ~mask & 07777};
    int acc = flags & O_ACCMODE;
    if (acc == O_RDONLY || acc == O_RDWR)
        o.flags |= FS_O_READ;
    if (acc == O_WRONLY || acc == O_RDWR)
        o.flags |= FS_O_WRITE;
    if (acc != O_RDONLY && acc != O_WRONLY && acc != O_RDWR) {
        errno = EINVAL;
        return -1;
    }
    o.flags |= (flags & O_CREAT ? FS_O_CREATE : 0) | (flags & O_EXCL ? FS_O_EXCL : 0) |
               (flags & O_TRUNC ? FS_O_TRUNC : 0) | (flags & O_APPEND ? FS_O_APPEND : 0) |
               (flags & O_DIRECTORY ? FS_O_DIRECTORY : 0) |
               (flags & O_NOFOLLOW ? FS_O_NOFOLLOW : 0);
    if (fs_path_put(path, 0, &o.path) != 0)
        return -1;
    struct fs_opened got;
    if (fs_result(fs_open(fs_chan(), &o, &got)) != 0)
        return -1;
    struct open_file *of = malloc(sizeof *of);
    int fd = -1;
    if (of != NULL) {
        *of = (struct open_file){
            .handle = got.handle, .mode = got.mode, .flags = acc | (flags & O_APPEND)};
        fd = fd_install(FD_FILE, of, (flags & O_CLOEXEC) != 0, 0);
    } else {
        errno = ENOMEM;
    }
    if (fd < 0) {
        free(of);
        (void)fs_close(fs_chan(), &(struct fs_handle){got.handle}, NULL);
    }
    return fd;
}

int open(const char *path, int flags, ...) __attribute__((alias("_open")));

int creat(const char *path, mode_t mode)
{
    return _open(path, O_WRONLY | O_CREAT | O_TRUNC, (int)mode);
}

/* An FS descriptor's open file, or NULL with errno (EBADF; ESPIPE for the
 * console where seek asks). */
static struct open_file *file_of(int fd)
{
    struct fd *d = fd_get(fd);
    if (d == NULL)
        return NULL;
    if (d->kind != FD_FILE) {
        errno = ESPIPE;
        return NULL;
    }
    return d->of;
}

/* One read of at most FS_DATA_MAX bytes, at pos with FS_AT. */
static ssize_t read_once(struct open_file *of, void *buf, size_t len, uint64_t pos, uint32_t at)
{
    struct fs_io q = {.handle = of->handle,
                      .pos = pos,
                      .offset = FS_GRANT_DATA,
                      .bytes = (uint32_t)(len < FS_DATA_MAX ? len : FS_DATA_MAX),
                      .flags = at};
    struct fs_done done;
    if (fs_result(fs_read(fs_chan(), &q, &done)) != 0)
        return -1;
    memcpy(buf, fs_grant() + FS_GRANT_DATA, done.bytes);
    return (ssize_t)done.bytes;
}

static ssize_t write_all(struct open_file *of, const void *buf, size_t len, uint64_t pos,
                         uint32_t at)
{
    size_t done = 0;
    do {
        size_t n = len - done < FS_DATA_MAX ? len - done : FS_DATA_MAX;
        memcpy(fs_grant() + FS_GRANT_DATA, (const uint8_t *)buf + done, n);
        struct fs_io q = {.handle = of->handle,
                          .pos = pos + done,
                          .offset = FS_GRANT_DATA,
                          .bytes = (uint32_t)n,
                          .flags = at};
        struct fs_done put;
        if (result_as(fs_write(fs_chan(), &q, &put), EFBIG) != 0)
            return done > 0 ? (ssize_t)done : -1;
        done += put.bytes;
    } while (done < len);
    return (ssize_t)done;
}

_READ_WRITE_RETURN_TYPE _read(int fd, void *buf, size_t len)
{
    struct fd *d = fd_get(fd);
    if (d == NULL)
        return -1;
    if (d->kind == FD_CONSOLE)
        return (_READ_WRITE_RETURN_TYPE)console_read(buf, len);
    if (d->kind == FD_SOCKET)
        return (_READ_WRITE_RETURN_TYPE)socket_read(d->of, buf, len);
    return (_READ_WRITE_RETURN_TYPE)read_once(d->of, buf, len, 0, 0);
}

_READ_WRITE_RETURN_TYPE _write(int fd, const void *buf, size_t len)
{
    struct fd *d = fd_get(fd);
    if (d == NULL)
        return -1;
    if (d->kind == FD_CONSOLE)
        return (_READ_WRITE_RETURN_TYPE)console_write(buf, len);
    if (d->kind == FD_SOCKET)
        return (_READ_WRITE_RETURN_TYPE)socket_write(d->of, buf, len);
    return (_READ_WRITE_RETURN_TYPE)write_all(d->of, buf, len, 0, 0);
}

_READ_WRITE_RETURN_TYPE read(int fd, void *buf, size_t len) __attribute__((alias("_read")));
_READ_WRITE_RETURN_TYPE write(int fd, const void *buf, size_t len) __attribute__((alias("_write")));

ssize_t pread(int fd, void *buf, size_t len, off_t pos)
{
    struct open_file *of = file_of(fd);
    if (of == NULL)
        return -1;
    if (pos < 0) {
        errno = EINVAL;
        return -1;
    }
    return read_once(of, buf, len, (uint64_t)pos, FS_AT);
}

ssize_t pwrite(int fd, const void *buf, size_t len, off_t pos)
{
    struct open_file *of = file_of(fd);
    if (of == NULL)
        return -1;
    if (pos < 0) {
        errno = EINVAL;
        return -1;
    }
    return write_all(of, buf, len, (uint64_t)pos, FS_AT);
}

off_t _lseek(int fd, off_t off, int whence)
{
    struct open_file *of = file_of(fd);
    if (of == NULL)
        return -1;
    if (S_ISFIFO(of->mode)) {
        errno = ESPIPE;
        return -1;
    }
    struct fs_seek q = {.handle = of->handle,
                        .offset = off,
                        .whence = whence == SEEK_SET   ? FS_SEEK_SET
                                  : whence == SEEK_CUR ? FS_SEEK_CUR
                                  : whence == SEEK_END ? FS_SEEK_END
                                                       : 99};
    struct fs_done done;
    return fs_result(fs_seek(fs_chan(), &q, &done)) == 0 ? (off_t)done.pos : -1;
}
off_t lseek(int fd, off_t off, int whence) __attribute__((alias("_lseek")));

static void stat_from(const struct fs_stat *f, struct stat *st)
{
    memset(st, 0, sizeof *st);
    st->st_dev = (dev_t)f->dev;
    st->st_ino = (ino_t)f->ino;
    st->st_mode = (mode_t)f->mode;
    st->st_nlink = (nlink_t)f->links;
    st->st_uid = (uid_t)f->uid;
    st->st_gid = (gid_t)f->gid;
    st->st_size = (off_t)f->size;
    st->st_blocks = (blkcnt_t)f->blocks;
    st->st_blksize = (blksize_t)f->blksize;
    st->st_atime = (time_t)f->atime;
    st->st_mtime = (time_t)f->mtime;
    st->st_ctime = (time_t)f->ctime;
}

int _fstat(int fd, struct stat *st)
{
    struct fd *d = fd_get(fd);
    if (d == NULL)
        return -1;
    if (d->kind == FD_CONSOLE) {
        memset(st, 0, sizeof *st);
        st->st_mode = S_IFCHR | 0620;
        return 0;
    }
    if (d->kind == FD_SOCKET) {
        memset(st, 0, sizeof *st);
        st->st_mode = (mode_t)d->of->mode;
        return 0;
    }
    if (fs_result(fs_fstat(fs_chan(), &(struct fs_fstat_req){d->of->handle, FS_GRANT_DATA, 0},
                           NULL)) != 0)
        return -1;
    stat_from((const struct fs_stat *)(fs_grant() + FS_GRANT_DATA), st);
    return 0;
}
int fstat(int fd, struct stat *st) __attribute__((alias("_fstat")));

static int stat_path(const char *path, struct stat *st, uint32_t flags)
{
    struct fs_stat_req q = {.flags = flags, .out = FS_GRANT_DATA};
    if (fs_path_put(path, 0, &q.path) != 0 || fs_result(fs_stat(fs_chan(), &q, NULL)) != 0)
        return -1;
    stat_from((const struct fs_stat *)(fs_grant() + FS_GRANT_DATA), st);
    return 0;
}

int _stat(const char *path, struct stat *st) { return stat_path(path, st, 0); }
int stat(const char *path, struct stat *st) __attribute__((alias("_stat")));
int lstat(const char *path, struct stat *st) { return stat_path(path, st, FS_O_NOFOLLOW); }

/* A call whose only argument is a path. */
static int path_call(const char *path,
                     err_t (*call)(struct chan *, const struct fs_path *, struct proto_none *))
{
    struct fs_path p;
    return fs_path_put(path, 0, &p) == 0 ? fs_result(call(fs_chan(), &p, NULL)) : -1;
}

int _unlink(const char *path) { return path_call(path, fs_unlink); }
int unlink(const char *path) __attribute__((alias("_unlink")));
int rmdir(const char *path) { return path_call(path, fs_rmdir); }

int mkdir(const char *path, mode_t mode)
{
    struct fs_mkdir q = {.mode = (uint32_t)mode & ~mask & 07777};
    return fs_path_put(path, 0, &q.path) == 0 ? fs_result(fs_mkdir(fs_chan(), &q, NULL)) : -1;
}

/* A call of two paths. */
static int paths_call(const char *a, const char *b,
                      err_t (*call)(struct chan *, const struct fs_paths *, struct proto_none *),
                      int toobig)
{
    struct fs_paths q;
    if (fs_path_put(a, 0, &q.a) != 0 || fs_path_put(b, 1, &q.b) != 0)
        return -1;
    return result_as(call(fs_chan(), &q, NULL), toobig);
}

int _rename(const char *from, const char *to) { return paths_call(from, to, fs_rename, E2BIG); }
int rename(const char *from, const char *to) __attribute__((alias("_rename")));
int _link(const char *from, const char *to) { return paths_call(from, to, fs_link, EMLINK); }
int link(const char *from, const char *to) __attribute__((alias("_link")));

int symlink(const char *target, const char *path)
{
    size_t len = strlen(target);
    if (len == 0 || len > FS_PATH_MAX) {
        errno = len == 0 ? ENOENT : ENAMETOOLONG;
        return -1;
    }
    struct fs_paths q = {.a = {FS_GRANT_PATHS, (uint32_t)len}};
    if (fs_path_put(path, 1, &q.b) != 0)
        return -1;
    memcpy(fs_grant() + FS_GRANT_PATHS, target, len); /* as it is: not made absolute */
    return fs_result(fs_symlink(fs_chan(), &q, NULL));
}

ssize_t readlink(const char *path, char *buf, size_t cap)
{
    struct fs_readlink q = {.out = FS_GRANT_DATA,
                            .cap = (uint32_t)(cap < FS_DATA_MAX ? cap : FS_DATA_MAX)};
    struct fs_done got;
    if (fs_path_put(path, 0, &q.path) != 0 || fs_result(fs_readlink(fs_chan(), &q, &got)) != 0)
        return -1;
    memcpy(buf, fs_grant() + FS_GRANT_DATA, got.bytes);
    return (ssize_t)got.bytes;
}

int truncate(const char *path, off_t size)
{
    struct fs_truncate q = {.size = (uint64_t)size};
    if (size < 0) {
        errno = EINVAL;
        return -1;
    }
    if (fs_path_put(path, 0, &q.path) != 0)
        return -1;
    return result_as(fs_truncate(fs_chan(), &q, NULL), EFBIG);
}

int ftruncate(int fd, off_t size)
{
    struct open_file *of = file_of(fd);
    if (of == NULL || size < 0) {
        errno = of == NULL ? EBADF : EINVAL;
        return -1;
    }
    struct fs_ftruncate q = {of->handle, (uint64_t)size};
    return result_as(fs_ftruncate(fs_chan(), &q, NULL), EFBIG);
}

int fsync(int fd)
{
    struct fd *d = fd_get(fd);
    if (d == NULL)
        return -1;
    if (d->kind == FD_CONSOLE)
        return 0;
    if (d->kind == FD_SOCKET) {
        errno = EINVAL;
        return -1;
    }
    return fs_result(fs_fsync(fs_chan(), &(struct fs_handle){d->of->handle}, NULL));
}

void sync(void)
{
    struct chan *c = fs_chan();
    if (c != NULL)
        (void)fs_sync(c, NULL, NULL);
}

mode_t umask(mode_t m)
{
    mode_t old = mask;
    mask = m & 0777;
    return old;
}

/* No users yet: everyone may do everything the mode lets its owner do. */
int access(const char *path, int mode)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return -1;
    if (((mode & R_OK) && !(st.st_mode & S_IRUSR)) || ((mode & W_OK) && !(st.st_mode & S_IWUSR)) ||
        ((mode & X_OK) && !(st.st_mode & S_IXUSR))) {
        errno = EACCES;
        return -1;
    }
    return 0;
}

static int setattr(const char *path, uint32_t what, mode_t mode, int64_t atime, int64_t mtime)
{
    struct fs_setattr q = {.mask = what, .mode = (uint32_t)mode, .atime = atime, .mtime = mtime};
    return fs_path_put(path, 0, &q.path) == 0 ? fs_result(fs_setattr(fs_chan(), &q, NULL)) : -1;
}

int chmod(const char *path, mode_t mode) { return setattr(path, FS_SET_MODE, mode, 0, 0); }

/* NULL: now, by FS's clock. */
int utimes(const char *path, const struct timeval times[2])
{
    if (times == NULL)
        return setattr(path, FS_SET_NOW, 0, 0, 0);
    return setattr(path, FS_SET_ATIME | FS_SET_MTIME, 0, times[0].tv_sec, times[1].tv_sec);
}

int statvfs(const char *path, struct statvfs *out)
{
    struct fs_statfs_req q = {.out = FS_GRANT_DATA};
    if (fs_path_put(path, 0, &q.path) != 0 || fs_result(fs_statfs(fs_chan(), &q, NULL)) != 0)
        return -1;
    const struct fs_statfs *f = (const struct fs_statfs *)(fs_grant() + FS_GRANT_DATA);
    *out = (struct statvfs){.f_bsize = f->block_size,
                            .f_frsize = f->block_size,
                            .f_blocks = f->blocks,
                            .f_bfree = f->blocks_free,
                            .f_bavail = f->blocks_free,
                            .f_files = f->files,
                            .f_ffree = f->files_free,
                            .f_favail = f->files_free,
                            .f_flag = (f->flags & FS_STATFS_RDONLY) ? ST_RDONLY : 0,
                            .f_namemax = f->name_max};
    return 0;
}

int pipe(int fd[2])
{
    struct chan *c = fs_chan();
    struct fs_pipe p;
    if (c == NULL || fs_result(fs_pipe(c, NULL, &p)) != 0)
        return -1;
    uint64_t handles[2] = {p.read, p.write};
    for (int i = 0; i < 2; i++) {
        struct open_file *of = malloc(sizeof *of);
        if (of != NULL)
            *of = (struct open_file){.handle = handles[i],
                                     .mode = S_IFIFO | 0600,
                                     .flags = i == 0 ? O_RDONLY : O_WRONLY};
        fd[i] = of != NULL ? fd_install(FD_FILE, of, false, 0) : -1;
        if (fd[i] < 0) {
            free(of);
            (void)fs_close(c, &(struct fs_handle){handles[i]}, NULL);
            if (i == 1)
                (void)close(fd[0]);
            else
                (void)fs_close(c, &(struct fs_handle){handles[1]}, NULL);
            errno = ENOMEM;
            return -1;
        }
    }
    return 0;
}
