/* names.c — FS's requests on names: making and removing them, renames and
 * links (with Linux's order of checks, which the differential test holds it
 * to), symbolic links, sizes and attributes, sync, statfs, and mounting a
 * disk on a directory. */
#include "serve.h"

#include <proto/pm.h>
#include <string.h>
#include <sys.h>

int serve_fs_mkdir(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r)
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

int serve_fs_unlink(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r)
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

int serve_fs_rmdir(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r)
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

int serve_fs_rename(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r)
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

int serve_fs_link(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r)
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

int serve_fs_symlink(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r)
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

int serve_fs_readlink(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r)
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

int serve_fs_truncate(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r)
{
    (void)s, (void)r;
    const struct fs_truncate *q = msg_payload_const(m, struct fs_truncate);
    struct vnode v;
    err_t err = path_in(c, q->path, path_a);
    if (err == OK)
        err = vfs_resolve(path_a, q->path.len, true, &v);
    return err != OK ? err : truncate_node(v, q->size);
}

int serve_fs_ftruncate(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r)
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

int serve_fs_setattr(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r)
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

int serve_fs_sync(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r)
{
    (void)s, (void)c, (void)m, (void)r;
    return vfs_each(sync_one);
}

int serve_fs_statfs(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r)
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

int serve_fs_mount(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r)
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

/* Clients whose processes PM no longer has, or has as zombies, let go of
 * their files: a process's end reaches FS from its monitor, and a umount
 * that its parent runs at once after waiting for it may come first. */
static void release_ended_holders(void)
{
    for (unsigned i = 0; i < srv_clients(&fs_srv); i++) {
        struct srv_client *k = srv_client_at(&fs_srv, i);
        if (k == NULL || (who(k)->h.held.n == 0 && who(k)->h.lent.n == 0))
            continue;
        struct pm_proc p;
        err_t err = srv_pm_who(&fs_srv, k->chan.peer_core, k->chan.peer_domain, &p);
        if (err == ERR_NOPROC || (err == OK && p.state == PM_ZOMBIE))
            of_release(&who(k)->h);
    }
}

int serve_fs_umount(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r)
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
        release_ended_holders();
    if (fs_busy_any(v.m->fs))
        return ERR_BUSY;
    for (unsigned i = 0; vfs_mount_at(i) != NULL; i++)
        if (vfs_mount_at(i)->on.m == v.m)
            return ERR_BUSY;
    if ((err = v.m->ops->unmount(v.m->fs)) != OK)
        return err;
    return vfs_unmount(v.m);
}

int serve_fs_mounts(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r)
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
