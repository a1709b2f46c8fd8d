/* files.c — FS's requests on open files: opening, reading and writing
 * (a pipe's waiting read or write is kept and answered when the other end
 * moves), positions, stat, directories read in batches, pipes, and handles
 * lent to and adopted by a program that starts. */
#include "serve.h"

#include <string.h>

#define IO_MAX (64 * 1024) /* the most one read or write moves */

static uint8_t io[IO_MAX];

int serve_fs_open(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r)
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

int serve_fs_close(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r)
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
        if ((err = srv_grant_span(c, q->offset, n)) != OK)
            return err; /* before the read: a read's bytes must have somewhere to go */
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

int serve_fs_read(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r)
{
    (void)s;
    return io_request(c, m, r, false);
}

int serve_fs_write(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r)
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
        for (unsigned i = 0; i < srv_clients(&fs_srv); i++) {
            struct srv_client *c = srv_client_at(&fs_srv, i);
            if (c == NULL || !who(c)->waiting)
                continue;
            msg_t r = {0};
            int res = file_io(c, &who(c)->req, &r, who(c)->req.type == FS_WRITE);
            if (res == SRV_LATER)
                continue;
            who(c)->waiting = false;
            r.type = (uint16_t)res;
            r.len = res == OK ? sizeof(struct fs_done) : 0;
            srv_answer(&fs_srv, c, &r);
        }
    } while (again);
    busy = false;
}

int serve_fs_seek(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r)
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

int serve_fs_stat(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r)
{
    (void)s, (void)r;
    const struct fs_stat_req *q = msg_payload_const(m, struct fs_stat_req);
    struct vnode v;
    err_t err = path_in(c, q->path, path_a);
    if (err == OK)
        err = vfs_resolve(path_a, q->path.len, !(q->flags & FS_O_NOFOLLOW), &v);
    return err != OK ? err : stat_out(c, v, q->out);
}

int serve_fs_fstat(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r)
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

int serve_fs_poll(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r)
{
    (void)s;
    struct ofile *f = of_held(&who(c)->h, msg_payload_const(m, struct fs_handle)->handle);
    if (f == NULL)
        return ERR_BADF;
    struct fs_ready *ready = msg_payload(r, struct fs_ready);
    const struct pipe *p = f->pipe;
    *ready = (struct fs_ready){.readable = 1, .writable = 1};
    if (p != NULL && !f->pipe_write)
        ready->readable = p->count > 0 || p->writers == 0;
    if (p != NULL && f->pipe_write)
        ready->writable = p->count < p->cap || p->readers == 0;
    return OK;
}

static uint8_t dt_of(uint8_t ft)
{
    static const uint8_t dt[] = {
        [EXT2_FT_REG] = 8,  [EXT2_FT_DIR] = 4,   [EXT2_FT_CHR] = 2, [EXT2_FT_BLK] = 6,
        [EXT2_FT_FIFO] = 1, [EXT2_FT_SOCK] = 12, [EXT2_FT_LNK] = 10};
    return ft < sizeof dt ? dt[ft] : 0;
}

int serve_fs_readdir(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r)
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

int serve_fs_fsync(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r)
{
    (void)s, (void)r;
    struct ofile *f = of_held(&who(c)->h, msg_payload_const(m, struct fs_handle)->handle);
    if (f == NULL)
        return ERR_BADF;
    return f->pipe != NULL ? ERR_INVAL : sync_one(f->node.m);
}

int serve_fs_pipe(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r)
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

int serve_fs_lend(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r)
{
    (void)s, (void)r;
    return of_lend(&who(c)->h, msg_payload_const(m, struct fs_handle)->handle);
}

int serve_fs_adopt(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r)
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
