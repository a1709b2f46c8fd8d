/* main.c — FS, the file system server: a RAM file system at the root with
 * /tmp and /mnt in it, the first disk's ext2 file system mounted at /mnt
 * (when the bus driver has found a block device), and the protocol of
 * proto/fs.h for every client on every core. A read of an empty pipe or a
 * write to a full one is answered later, when the other end moves. */
#include "open.h"

#include <chan.h>
#include <proto/bus.h>
#include <proto_chan.h>
#include <server.h>
#include <stdlib.h>
#include <string.h>
#include <sys.h>

PROTO_CHAN_CALLS(BUS_MESSAGES)

/* How long FS waits for the bus driver, and then for the first disk's driver. */
#define BUS_WAIT_NS  20000000000ull
#define DISK_WAIT_NS 30000000000ull
#define VIRTIO_BLK   2
#define IO_MAX       (64 * 1024) /* the most one read or write moves */

struct client {
    struct holder h;
    bool waiting; /* a pipe read or write is to be answered later */
    msg_t req;
};

static struct srv fs;
static uint8_t io[IO_MAX];
static char path_a[FS_PATH_MAX + 1], path_b[FS_PATH_MAX + 1];

static struct client *who(struct srv_client *c) { return srv_state(c); }

/* A path from the grant into buf (NUL-terminated). */
static err_t path_in(const struct srv_client *c, struct fs_path p, char *buf)
{
    if (p.len == 0 || p.len > FS_PATH_MAX)
        return p.len == 0 ? ERR_INVAL : ERR_LONGNAME;
    err_t err = srv_grant_read(c, p.offset, buf, p.len);
    if (err != OK)
        return err;
    buf[p.len] = '\0';
    return memchr(buf, '\0', p.len) != NULL ? ERR_INVAL : OK;
}

static err_t lookup(const struct srv_client *c, struct fs_path p, char *buf, bool follow,
                    struct vfs_where *w)
{
    err_t err = path_in(c, p, buf);
    return err != OK ? err : vfs_lookup(buf, p.len, follow, w);
}

static bool is_mount_root(struct vnode v) { return v.ino == v.m->root; }

static uint16_t type_of(struct vnode v)
{
    struct ext2_stat st;
    return v.m->ops->stat(v.m->fs, v.ino, &st) == OK ? st.mode & EXT2_S_IFMT : 0;
}

static int serve_fs_open(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r)
{
    (void)s;
    const struct fs_open *o = msg_payload_const(m, struct fs_open);
    if (o->flags & ~(uint32_t)FS_O_ALL)
        return ERR_INVAL;
    struct vfs_where w;
    err_t err = lookup(c, o->path, path_a, !(o->flags & FS_O_NOFOLLOW), &w);
    if (err != OK)
        return err;
    struct vnode v = w.node;
    if (!w.found) {
        if (!(o->flags & FS_O_CREATE))
            return ERR_NOENT;
        v.m = w.dir.m;
        err = v.m->ops->create(v.m->fs, w.dir.ino, w.name, w.len,
                               (uint16_t)(EXT2_S_IFREG | (o->mode & 07777)), &v.ino);
        if (err != OK)
            return err;
    } else if ((o->flags & FS_O_CREATE) && (o->flags & FS_O_EXCL)) {
        return ERR_EXIST;
    }
    struct ext2_stat st;
    if ((err = v.m->ops->stat(v.m->fs, v.ino, &st)) != OK)
        return err;
    uint16_t type = st.mode & EXT2_S_IFMT;
    if (type == EXT2_S_IFLNK)
        return ERR_LOOP; /* FS_O_NOFOLLOW met a link */
    if (type == EXT2_S_IFDIR && (o->flags & (FS_O_WRITE | FS_O_TRUNC)))
        return ERR_ISDIR;
    if (type != EXT2_S_IFDIR && (o->flags & FS_O_DIRECTORY))
        return ERR_NOTDIR;
    if ((o->flags & FS_O_TRUNC) && (o->flags & FS_O_WRITE) && type == EXT2_S_IFREG && st.size > 0 &&
        (err = v.m->ops->truncate(v.m->fs, v.ino, 0)) != OK)
        return err;
    struct fs_opened *out = msg_payload(r, struct fs_opened);
    out->mode = st.mode;
    out->flags = o->flags & (FS_O_READ | FS_O_WRITE | FS_O_APPEND);
    if ((err = of_open(&who(c)->h, v, NULL, false, out->flags, &out->handle)) != OK)
        return err;
    of_held(&who(c)->h, out->handle)->dir = type == EXT2_S_IFDIR;
    return OK;
}

static int serve_fs_close(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r)
{
    (void)s, (void)r;
    err_t err = of_close(&who(c)->h, msg_payload_const(m, struct fs_handle)->handle);
    fs_pipes_changed();
    return err;
}

/* A read or write of a pipe, SRV_LATER while it must wait. */
static int pipe_io(struct srv_client *c, struct ofile *f, const struct fs_io *q, bool write,
                   struct fs_done *done)
{
    size_t n = q->bytes < IO_MAX ? q->bytes : IO_MAX, moved;
    err_t err;
    if (write) {
        if ((err = srv_grant_read(c, q->offset, io, n)) != OK)
            return err;
        err = pipe_write(f->pipe, io, n, &moved);
    } else {
        /* The range is checked before bytes leave the pipe. */
        if (c->grant.cap == 0 || q->offset + (uint64_t)n > c->grant.bytes)
            return c->grant.cap == 0 ? ERR_NOENT : ERR_RANGE;
        err = pipe_read(f->pipe, io, n, &moved);
        if (err == OK && (err = srv_grant_write(c, q->offset, io, moved)) != OK)
            return err;
    }
    if (err == ERR_WOULDBLOCK)
        return SRV_LATER;
    done->bytes = moved;
    if (moved > 0)
        fs_pipes_changed();
    return err;
}

static int file_io(struct srv_client *c, const msg_t *m, msg_t *r, bool write)
{
    const struct fs_io *q = msg_payload_const(m, struct fs_io);
    struct fs_done *done = msg_payload(r, struct fs_done);
    struct ofile *f = of_held(&who(c)->h, q->handle);
    if (f == NULL || !(f->flags & (write ? FS_O_WRITE : FS_O_READ)))
        return ERR_BADF;
    if (f->pipe != NULL)
        return pipe_io(c, f, q, write, done);
    if (f->dir)
        return ERR_ISDIR;
    size_t n = q->bytes < IO_MAX ? q->bytes : IO_MAX, moved = n;
    uint64_t pos = (q->flags & FS_AT) ? q->pos : f->pos;
    const struct mount *mt = f->node.m;
    err_t err;
    if (write) {
        if ((err = srv_grant_read(c, q->offset, io, n)) != OK)
            return err;
        struct ext2_stat st;
        if ((f->flags & FS_O_APPEND) && (err = mt->ops->stat(mt->fs, f->node.ino, &st)) != OK)
            return err;
        if (f->flags & FS_O_APPEND)
            pos = st.size;
        if ((err = mt->ops->write(mt->fs, f->node.ino, pos, io, n)) != OK)
            return err;
    } else {
        if (q->offset + (uint64_t)n > c->grant.bytes || c->grant.cap == 0)
            return c->grant.cap == 0 ? ERR_NOENT : ERR_RANGE;
        if ((err = mt->ops->read(mt->fs, f->node.ino, pos, io, n, &moved)) != OK)
            return err;
        if ((err = srv_grant_write(c, q->offset, io, moved)) != OK)
            return err;
    }
    done->bytes = moved;
    if (!(q->flags & FS_AT) || (f->flags & FS_O_APPEND))
        f->pos = pos + moved;
    done->pos = f->pos;
    return OK;
}

/* A read or write now, or kept to be answered when its pipe moves. */
static int io_request(struct srv_client *c, const msg_t *m, msg_t *r, bool write)
{
    int res = file_io(c, m, r, write);
    if (res == SRV_LATER) {
        who(c)->waiting = true;
        who(c)->req = *m;
    }
    return res;
}

static int serve_fs_read(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r)
{
    (void)s;
    return io_request(c, m, r, false);
}

static int serve_fs_write(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r)
{
    (void)s;
    return io_request(c, m, r, true);
}

/* Answers the waiting clients whose pipes moved; again while answers move more. */
void fs_pipes_changed(void)
{
    static bool busy, again;
    if (busy) {
        again = true;
        return;
    }
    busy = true;
    do {
        again = false;
        for (unsigned i = 0; i < srv_clients(&fs); i++) {
            struct srv_client *c = srv_client_at(&fs, i);
            if (c == NULL || !who(c)->waiting)
                continue;
            msg_t r = {0};
            int res = file_io(c, &who(c)->req, &r, who(c)->req.type == FS_WRITE);
            if (res == SRV_LATER)
                continue;
            who(c)->waiting = false;
            r.type = (uint16_t)res;
            r.len = res == OK ? sizeof(struct fs_done) : 0;
            srv_answer(&fs, c, &r);
        }
    } while (again);
    busy = false;
}

static int serve_fs_seek(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r)
{
    (void)s;
    const struct fs_seek *q = msg_payload_const(m, struct fs_seek);
    struct ofile *f = of_held(&who(c)->h, q->handle);
    if (f == NULL)
        return ERR_BADF;
    if (f->pipe != NULL || q->whence > FS_SEEK_END)
        return ERR_INVAL;
    int64_t base = 0;
    if (q->whence == FS_SEEK_CUR)
        base = (int64_t)f->pos;
    if (q->whence == FS_SEEK_END) {
        struct ext2_stat st;
        err_t err = f->node.m->ops->stat(f->node.m->fs, f->node.ino, &st);
        if (err != OK)
            return err;
        base = (int64_t)st.size;
    }
    if ((q->offset < 0 && base + q->offset < 0) || (q->offset > 0 && base + q->offset < base))
        return ERR_INVAL;
    f->pos = (uint64_t)(base + q->offset);
    *msg_payload(r, struct fs_done) = (struct fs_done){.pos = f->pos};
    return OK;
}

static err_t stat_out(struct srv_client *c, struct vnode v, uint32_t out)
{
    struct ext2_stat st;
    err_t err = v.m->ops->stat(v.m->fs, v.ino, &st);
    if (err != OK)
        return err;
    struct fs_stat fst = {.dev = v.m->id,
                          .ino = st.ino,
                          .mode = st.mode,
                          .links = st.links,
                          .uid = st.uid,
                          .gid = st.gid,
                          .size = st.size,
                          .blocks = st.blocks,
                          .blksize = 4096,
                          .atime = st.atime,
                          .mtime = st.mtime,
                          .ctime = st.ctime};
    return srv_grant_write(c, out, &fst, sizeof fst);
}

static int serve_fs_stat(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r)
{
    (void)s, (void)r;
    const struct fs_stat_req *q = msg_payload_const(m, struct fs_stat_req);
    struct vnode v;
    err_t err = path_in(c, q->path, path_a);
    if (err == OK)
        err = vfs_resolve(path_a, q->path.len, !(q->flags & FS_O_NOFOLLOW), &v);
    return err != OK ? err : stat_out(c, v, q->out);
}

static int serve_fs_fstat(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r)
{
    (void)s, (void)r;
    const struct fs_fstat_req *q = msg_payload_const(m, struct fs_fstat_req);
    struct ofile *f = of_held(&who(c)->h, q->handle);
    if (f == NULL)
        return ERR_BADF;
    if (f->pipe != NULL) {
        struct fs_stat fst = {.mode = EXT2_S_IFIFO | 0600, .links = 1, .blksize = IO_MAX};
        return srv_grant_write(c, q->out, &fst, sizeof fst);
    }
    return stat_out(c, f->node, q->out);
}

static uint8_t dt_of(uint8_t ft)
{
    static const uint8_t dt[] = {
        [EXT2_FT_REG] = 8,  [EXT2_FT_DIR] = 4,   [EXT2_FT_CHR] = 2, [EXT2_FT_BLK] = 6,
        [EXT2_FT_FIFO] = 1, [EXT2_FT_SOCK] = 12, [EXT2_FT_LNK] = 10};
    return ft < sizeof dt ? dt[ft] : 0;
}

static int serve_fs_readdir(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r)
{
    (void)s;
    const struct fs_readdir *q = msg_payload_const(m, struct fs_readdir);
    struct ofile *f = of_held(&who(c)->h, q->handle);
    if (f == NULL || f->pipe != NULL)
        return ERR_BADF;
    const struct mount *mt = f->node.m;
    uint32_t cap = q->cap < IO_MAX ? q->cap : IO_MAX, used = 0, count = 0;
    uint64_t cookie = q->cookie;
    for (;;) {
        uint64_t next = cookie;
        struct ext2_dirent e;
        err_t err = mt->ops->readdir(mt->fs, f->node.ino, &next, &e);
        if (err == ERR_END)
            break;
        if (err != OK) {
            if (count > 0)
                break; /* what came so far; the next call meets the error */
            return err;
        }
        uint32_t reclen = (uint32_t)(sizeof(struct fs_dirent) + e.name_len + 1 + 7) & ~7u;
        if (used + reclen > cap) {
            if (count == 0)
                return ERR_NOSPACE;
            break;
        }
        struct fs_dirent *d = (struct fs_dirent *)(io + used);
        d->ino = e.ino;
        d->reclen = (uint16_t)reclen;
        d->type = dt_of(e.type);
        d->name_len = e.name_len;
        memcpy(d->name, e.name, e.name_len);
        d->name[e.name_len] = '\0';
        used += reclen;
        count++;
        cookie = next;
    }
    err_t err = srv_grant_write(c, q->out, io, used);
    if (err != OK)
        return err;
    *msg_payload(r, struct fs_dirents) =
        (struct fs_dirents){.cookie = cookie, .count = count, .bytes = used};
    return OK;
}

static int serve_fs_mkdir(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r)
{
    (void)s, (void)r;
    const struct fs_mkdir *q = msg_payload_const(m, struct fs_mkdir);
    struct vfs_where w;
    err_t err = lookup(c, q->path, path_a, false, &w);
    if (err != OK)
        return err;
    if (w.found)
        return ERR_EXIST;
    uint32_t ino;
    return w.dir.m->ops->mkdir(w.dir.m->fs, w.dir.ino, w.name, w.len, (uint16_t)(q->mode & 07777),
                               &ino);
}

static int serve_fs_unlink(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r)
{
    (void)s, (void)r;
    struct vfs_where w;
    err_t err = lookup(c, *msg_payload_const(m, struct fs_path), path_a, false, &w);
    if (err != OK)
        return err;
    if (!w.found)
        return ERR_NOENT;
    if (type_of(w.node) == EXT2_S_IFDIR)
        return ERR_ISDIR;
    return w.dir.m->ops->unlink(w.dir.m->fs, w.dir.ino, w.name, w.len);
}

static int serve_fs_rmdir(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r)
{
    (void)s, (void)r;
    struct vfs_where w;
    err_t err = lookup(c, *msg_payload_const(m, struct fs_path), path_a, false, &w);
    if (err != OK)
        return err;
    if (!w.found)
        return ERR_NOENT;
    if (w.len == 1 && w.name[0] == '.')
        return ERR_INVAL;
    if (w.len == 0 || is_mount_root(w.node))
        return ERR_BUSY;
    if (w.node.m != w.dir.m)
        return ERR_BUSY;
    return w.dir.m->ops->rmdir(w.dir.m->fs, w.dir.ino, w.name, w.len);
}

/* The two paths of a request, the first and the second looked up. */
static err_t two(struct srv_client *c, const msg_t *m, bool follow_a, struct vfs_where *a,
                 struct vfs_where *b)
{
    const struct fs_paths *q = msg_payload_const(m, struct fs_paths);
    err_t err = lookup(c, q->a, path_a, follow_a, a);
    return err != OK ? err : lookup(c, q->b, path_b, false, b);
}

static int serve_fs_rename(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r)
{
    (void)s, (void)r;
    struct vfs_where a, b;
    err_t err = two(c, m, false, &a, &b);
    if (err != OK)
        return err;
    if (!a.found)
        return ERR_NOENT;
    if (a.len == 0 || is_mount_root(a.node) || (b.found && is_mount_root(b.node)))
        return ERR_BUSY;
    if ((a.len == 1 && a.name[0] == '.') || (a.len == 2 && a.name[0] == '.' && a.name[1] == '.'))
        return ERR_INVAL;
    if (a.dir.m != b.dir.m)
        return ERR_XDEV;
    if (b.len == 0 || (b.len <= 2 && memcmp(b.name, "..", b.len) == 0))
        return b.found ? ERR_BUSY : ERR_INVAL;
    if (b.found && type_of(b.node) == EXT2_S_IFDIR && vfs_below(a.dir, b.node))
        return ERR_NOTEMPTY; /* over a directory that holds the source: as Linux */
    return a.dir.m->ops->rename(a.dir.m->fs, a.dir.ino, a.name, a.len, b.dir.ino, b.name, b.len);
}

static int serve_fs_link(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r)
{
    (void)s, (void)r;
    const struct fs_paths *q = msg_payload_const(m, struct fs_paths);
    struct vfs_where a, b;
    err_t err = lookup(c, q->a, path_a, false, &a); /* the source first, as Linux */
    if (err != OK)
        return err;
    if (!a.found)
        return ERR_NOENT;
    if ((err = lookup(c, q->b, path_b, false, &b)) != OK)
        return err;
    if (b.found)
        return ERR_EXIST;
    if (a.node.m != b.dir.m)
        return ERR_XDEV;
    if (type_of(a.node) == EXT2_S_IFDIR)
        return ERR_PERM;
    return b.dir.m->ops->link(b.dir.m->fs, b.dir.ino, b.name, b.len, a.node.ino);
}

static int serve_fs_symlink(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r)
{
    (void)s, (void)r;
    const struct fs_paths *q = msg_payload_const(m, struct fs_paths);
    struct vfs_where b;
    err_t err = path_in(c, q->a, path_a);
    if (err == OK)
        err = lookup(c, q->b, path_b, false, &b);
    if (err != OK)
        return err;
    if (b.found)
        return ERR_EXIST;
    uint32_t ino;
    return b.dir.m->ops->symlink(b.dir.m->fs, b.dir.ino, b.name, b.len, path_a, q->a.len, &ino);
}

static int serve_fs_readlink(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r)
{
    (void)s;
    const struct fs_readlink *q = msg_payload_const(m, struct fs_readlink);
    struct vnode v;
    err_t err = path_in(c, q->path, path_a);
    if (err == OK)
        err = vfs_resolve(path_a, q->path.len, false, &v);
    if (err != OK)
        return err;
    if (type_of(v) != EXT2_S_IFLNK)
        return ERR_INVAL;
    size_t len;
    if ((err = v.m->ops->readlink(v.m->fs, v.ino, path_b, FS_PATH_MAX, &len)) != OK)
        return err;
    size_t n = len < q->cap ? len : q->cap;
    if ((err = srv_grant_write(c, q->out, path_b, n)) != OK)
        return err;
    msg_payload(r, struct fs_done)->bytes = n;
    return OK;
}

static err_t truncate_node(struct vnode v, uint64_t size)
{
    uint16_t type = type_of(v);
    if (type == EXT2_S_IFDIR)
        return ERR_ISDIR;
    if (type != EXT2_S_IFREG)
        return ERR_INVAL;
    return v.m->ops->truncate(v.m->fs, v.ino, size);
}

static int serve_fs_truncate(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r)
{
    (void)s, (void)r;
    const struct fs_truncate *q = msg_payload_const(m, struct fs_truncate);
    struct vnode v;
    err_t err = path_in(c, q->path, path_a);
    if (err == OK)
        err = vfs_resolve(path_a, q->path.len, true, &v);
    return err != OK ? err : truncate_node(v, q->size);
}

static int serve_fs_ftruncate(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r)
{
    (void)s, (void)r;
    const struct fs_ftruncate *q = msg_payload_const(m, struct fs_ftruncate);
    struct ofile *f = of_held(&who(c)->h, q->handle);
    if (f == NULL || !(f->flags & FS_O_WRITE))
        return ERR_BADF;
    if (f->pipe != NULL)
        return ERR_INVAL;
    return truncate_node(f->node, q->size);
}

static int serve_fs_setattr(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r)
{
    (void)s, (void)r;
    const struct fs_setattr *q = msg_payload_const(m, struct fs_setattr);
    if (q->mask & ~(uint32_t)(FS_SET_MODE | FS_SET_ATIME | FS_SET_MTIME | FS_SET_NOW))
        return ERR_INVAL;
    struct vnode v;
    err_t err = path_in(c, q->path, path_a);
    if (err == OK)
        err = vfs_resolve(path_a, q->path.len, true, &v);
    if (err != OK)
        return err;
    struct ext2_attr a = {.mode = (uint16_t)(q->mode & 07777),
                          .atime = (uint32_t)q->atime,
                          .mtime = (uint32_t)q->mtime};
    if (q->mask & FS_SET_MODE)
        a.mask |= EXT2_SET_MODE;
    if (q->mask & FS_SET_ATIME)
        a.mask |= EXT2_SET_ATIME;
    if (q->mask & FS_SET_MTIME)
        a.mask |= EXT2_SET_MTIME;
    if (q->mask & FS_SET_NOW) {
        a.mask |= EXT2_SET_ATIME | EXT2_SET_MTIME;
        a.atime = a.mtime = fs_now();
    }
    return v.m->ops->setattr(v.m->fs, v.ino, &a);
}

static err_t sync_one(struct mount *mt) { return mt->ops->sync(mt->fs); }

static int serve_fs_sync(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r)
{
    (void)s, (void)c, (void)m, (void)r;
    return vfs_each(sync_one);
}

static int serve_fs_fsync(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r)
{
    (void)s, (void)r;
    struct ofile *f = of_held(&who(c)->h, msg_payload_const(m, struct fs_handle)->handle);
    if (f == NULL)
        return ERR_BADF;
    return f->pipe != NULL ? ERR_INVAL : sync_one(f->node.m);
}

static int serve_fs_statfs(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r)
{
    (void)s, (void)r;
    const struct fs_statfs_req *q = msg_payload_const(m, struct fs_statfs_req);
    struct vnode v;
    err_t err = path_in(c, q->path, path_a);
    if (err == OK)
        err = vfs_resolve(path_a, q->path.len, true, &v);
    struct fs_statfs out;
    if (err == OK)
        err = v.m->ops->statfs(v.m->fs, &out);
    return err != OK ? err : srv_grant_write(c, q->out, &out, sizeof out);
}

static int serve_fs_pipe(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r)
{
    (void)s, (void)m;
    struct fs_pipe *out = msg_payload(r, struct fs_pipe);
    struct pipe *p;
    err_t err = pipe_new(&p);
    if (err != OK)
        return err;
    struct vnode none = {NULL, 0};
    if ((err = of_open(&who(c)->h, none, p, false, FS_O_READ, &out->read)) != OK) {
        p->readers = p->writers = 1;
        pipe_end_closed(p, false);
        pipe_end_closed(p, true);
        return err;
    }
    if ((err = of_open(&who(c)->h, none, p, true, FS_O_WRITE, &out->write)) != OK) {
        p->writers = 0;
        (void)of_close(&who(c)->h, out->read);
    }
    return err;
}

static int serve_fs_lend(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r)
{
    (void)s, (void)r;
    return of_lend(&who(c)->h, msg_payload_const(m, struct fs_handle)->handle);
}

static int serve_fs_adopt(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r)
{
    uint64_t handle = msg_payload_const(m, struct fs_handle)->handle;
    for (unsigned i = 0; i < srv_clients(s); i++) {
        struct srv_client *lender = srv_client_at(s, i);
        if (lender == NULL || !of_lent(&who(lender)->h, handle))
            continue;
        err_t err = of_adopt(&who(lender)->h, &who(c)->h, handle);
        if (err != OK)
            return err;
        struct ofile *f = of_held(&who(c)->h, handle);
        struct fs_opened *out = msg_payload(r, struct fs_opened);
        out->handle = handle;
        out->mode = f->pipe != NULL ? EXT2_S_IFIFO | 0600 : type_of(f->node);
        out->flags = f->flags;
        return OK;
    }
    return ERR_BADF;
}

/* How long FS_MOUNT waits for a disk's driver to answer. */
#define MOUNT_WAIT_NS 5000000000ull

/* Only block drivers' names: "disk" and a number. */
static bool disk_name_ok(const char *d)
{
    if (strncmp(d, "disk", 4) != 0 || d[4] == '\0')
        return false;
    for (d += 4; *d != '\0'; d++)
        if (*d < '0' || *d > '9')
            return false;
    return true;
}

static int serve_fs_mount(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r)
{
    (void)s, (void)r;
    const struct fs_mount *q = msg_payload_const(m, struct fs_mount);
    if (!disk_name_ok(q->disk))
        return ERR_INVAL;
    for (unsigned i = 0; vfs_mount_at(i) != NULL; i++)
        if (strcmp(vfs_mount_at(i)->what, q->disk) == 0)
            return ERR_BUSY; /* two ext2 states over one disk would corrupt it */
    struct vnode v;
    err_t err = path_in(c, q->path, path_a);
    if (err == OK)
        err = vfs_resolve(path_a, q->path.len, true, &v);
    if (err != OK)
        return err;
    if (type_of(v) != EXT2_S_IFDIR)
        return ERR_NOTDIR;
    if (is_mount_root(v))
        return ERR_BUSY; /* something is mounted there already */
    err = ext2fs_attach(q->disk, sys_now_ns() + MOUNT_WAIT_NS, path_a);
    /* An image it refuses is EIO (FS's console line says why). */
    return err == OK || err == ERR_NOENT || err == ERR_NOMEM || err == ERR_ROFS ? err : ERR_IO;
}

static int serve_fs_umount(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r)
{
    (void)s, (void)r;
    struct vnode v;
    const struct fs_path *p = msg_payload_const(m, struct fs_path);
    err_t err = path_in(c, *p, path_a);
    if (err == OK)
        err = vfs_resolve(path_a, p->len, true, &v);
    if (err != OK)
        return err;
    if (!is_mount_root(v) || v.m->on.m == NULL)
        return ERR_INVAL; /* nothing is mounted here, or it is the root */
    if (fs_busy_any(v.m->fs))
        return ERR_BUSY;
    for (unsigned i = 0; vfs_mount_at(i) != NULL; i++)
        if (vfs_mount_at(i)->on.m == v.m)
            return ERR_BUSY;
    if ((err = v.m->ops->unmount(v.m->fs)) != OK)
        return err;
    return vfs_unmount(v.m);
}

static int serve_fs_mounts(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r)
{
    (void)s;
    const struct fs_mounts_req *q = msg_payload_const(m, struct fs_mounts_req);
    struct mount *mt = vfs_mount_at(q->index);
    if (mt == NULL)
        return ERR_END;
    struct fs_mounted *out = msg_payload(r, struct fs_mounted);
    struct fs_statfs st;
    memcpy(out->what, mt->what, sizeof out->what);
    out->what[sizeof out->what - 1] = '\0';
    out->path_len = (uint32_t)strlen(mt->at);
    out->flags = mt->ops->statfs(mt->fs, &st) == OK ? st.flags : 0;
    return srv_grant_write(c, q->out, mt->at, out->path_len < q->cap ? out->path_len : q->cap);
}

static void left(struct srv *s, struct srv_client *c)
{
    (void)s;
    who(c)->waiting = false;
    of_release(&who(c)->h);
}

static const struct srv_op ops[] = {SRV_OPS(FS_MESSAGES)};

/* How many virtio block devices the bus driver found; 0 without one. */
static unsigned count_disks(void)
{
    struct chan bus;
    if (chan_connect(BUS_NAME, &bus, BUS_WAIT_NS) != OK)
        return 0;
    unsigned disks = 0;
    struct bus_device d;
    for (uint32_t i = 0; bus_device(&bus, &(struct bus_ask){i}, &d) == OK; i++)
        disks += d.virtio_type == VIRTIO_BLK;
    chan_drop(&bus);
    return disks;
}

static void make_dir(const char *path)
{
    struct vfs_where w;
    uint32_t ino;
    if (vfs_lookup(path, strlen(path), false, &w) != OK || w.found ||
        w.dir.m->ops->mkdir(w.dir.m->fs, w.dir.ino, w.name, w.len, 0777, &ino) != OK)
        sys_printf("fs: cannot make %s\n", path);
}

int main(void)
{
    err_t err = ramfs_attach(NULL);
    if (err != OK) {
        sys_printf("fs: no root file system: %s\n", err_str(err));
        return 1;
    }
    make_dir("/tmp");
    make_dir("/mnt");
    if (count_disks() > 0 &&
        (err = ext2fs_attach("disk0", sys_now_ns() + DISK_WAIT_NS, "/mnt")) != OK)
        sys_printf("fs: disk0 not mounted at /mnt: %s\n", err_str(err));
    fs = (struct srv){.name = FS_NAME,
                      SRV_TABLE(ops),
                      .state_bytes = sizeof(struct client),
                      .grant_max = 1024 * 1024,
                      .left = left};
    if ((err = srv_start(&fs)) != OK) {
        sys_printf("fs: cannot serve: %s\n", err_str(err));
        return 1;
    }
    srv_run(&fs);
}
