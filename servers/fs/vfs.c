/* vfs.c — the mounts and path lookup: one tree of names over every mounted
 * file system. A lookup walks a path a component at a time: "." stays, ".."
 * goes up (out of a mounted file system's root into the directory it covers),
 * a directory something is mounted on leads into that mount's root, and a
 * symbolic link is read and spliced into what is left of the path, at most
 * VFS_LINKS_MAX times in one lookup (then ERR_LOOP, as Linux's 40). */
#include "fs.h"

#include <stdlib.h>
#include <string.h>

#define VFS_LINKS_MAX 40

static struct mount **mounts;
static unsigned nmounts, cap_mounts;

err_t vfs_mount(const char *at, const struct vfs_ops *ops, void *fs, uint32_t root,
                const char *what)
{
    struct vnode on = {NULL, 0};
    if (at != NULL) {
        err_t err = vfs_resolve(at, strlen(at), true, &on);
        if (err != OK)
            return err;
        struct ext2_stat st;
        if ((err = on.m->ops->stat(on.m->fs, on.ino, &st)) != OK)
            return err;
        if ((st.mode & EXT2_S_IFMT) != EXT2_S_IFDIR)
            return ERR_NOTDIR;
    } else if (nmounts > 0) {
        return ERR_EXIST;
    }
    if (nmounts == cap_mounts) {
        unsigned cap = cap_mounts ? 2 * cap_mounts : 4;
        struct mount **grown = realloc(mounts, cap * sizeof *grown);
        if (grown == NULL)
            return ERR_NOMEM;
        mounts = grown;
        cap_mounts = cap;
    }
    struct mount *m = calloc(1, sizeof *m);
    if (m == NULL)
        return ERR_NOMEM;
    static unsigned ids;
    *m = (struct mount){.ops = ops, .fs = fs, .root = root, .on = on, .id = ++ids};
    strncpy(m->what, what, sizeof m->what - 1);
    if ((m->at = strdup(at != NULL ? at : "/")) == NULL) {
        free(m);
        return ERR_NOMEM;
    }
    mounts[nmounts++] = m;
    return OK;
}

struct mount *vfs_mount_at(unsigned index) { return index < nmounts ? mounts[index] : NULL; }

err_t vfs_unmount(struct mount *m)
{
    if (m->on.m == NULL)
        return ERR_INVAL;
    unsigned at = nmounts;
    for (unsigned i = 0; i < nmounts; i++) {
        if (mounts[i]->on.m == m)
            return ERR_BUSY;
        if (mounts[i] == m)
            at = i;
    }
    if (at == nmounts)
        return ERR_INVAL;
    memmove(&mounts[at], &mounts[at + 1], (nmounts - at - 1) * sizeof *mounts);
    nmounts--;
    free(m->at);
    free(m);
    return OK;
}

err_t vfs_each(err_t (*f)(struct mount *m))
{
    err_t first = OK;
    for (unsigned i = 0; i < nmounts; i++) {
        err_t err = f(mounts[i]);
        if (first == OK)
            first = err;
    }
    return first;
}

static struct vnode root_of(struct mount *m) { return (struct vnode){m, m->root}; }

/* The root of what is mounted on v, over and over; v if nothing is. */
static struct vnode covered(struct vnode v)
{
    for (unsigned i = 0; i < nmounts; i++) {
        if (mounts[i]->on.m != NULL && vnode_same(mounts[i]->on, v)) {
            v = root_of(mounts[i]);
            i = (unsigned)-1; /* something may be mounted on that root too */
        }
    }
    return v;
}

/* The directory above dir. */
static err_t parent(struct vnode dir, struct vnode *up)
{
    while (dir.ino == dir.m->root && dir.m->on.m != NULL)
        dir = dir.m->on; /* out of a mount into the directory it covers */
    if (dir.ino == dir.m->root) {
        *up = dir; /* the root's parent is itself */
        return OK;
    }
    up->m = dir.m;
    err_t err = dir.m->ops->lookup(dir.m->fs, dir.ino, "..", 2, &up->ino);
    if (err == OK)
        *up = covered(*up);
    return err;
}

bool vfs_below(struct vnode v, struct vnode ancestor)
{
    for (unsigned steps = 0; steps < 4096; steps++) { /* deeper than any path can name */
        if (vnode_same(v, ancestor))
            return true;
        struct vnode up;
        if (parent(v, &up) != OK || vnode_same(up, v))
            return false;
        v = up;
    }
    return false;
}

static err_t type_of(struct vnode v, uint16_t *type)
{
    struct ext2_stat st;
    err_t err = v.m->ops->stat(v.m->fs, v.ino, &st);
    *type = st.mode & EXT2_S_IFMT;
    return err;
}

/* Replaces the path in work with link's target followed by rest (which may
 * lie inside work itself). */
static err_t splice(struct vnode link, char *work, const char *rest, size_t rest_len)
{
    static char target[FS_PATH_MAX + 1];
    size_t tlen;
    err_t err = link.m->ops->readlink(link.m->fs, link.ino, target, FS_PATH_MAX, &tlen);
    if (err != OK)
        return err;
    if (tlen == 0)
        return ERR_NOENT; /* an empty target names nothing */
    if (tlen + 1 + rest_len > FS_PATH_MAX)
        return ERR_LONGNAME;
    memmove(work + tlen + 1, rest, rest_len);
    memcpy(work, target, tlen);
    work[tlen] = '/';
    work[tlen + 1 + rest_len] = '\0';
    return OK;
}

err_t vfs_lookup(const char *path, size_t len, bool follow, struct vfs_where *w)
{
    static char work[FS_PATH_MAX + 1];
    if (nmounts == 0)
        return ERR_NOENT;
    if (len == 0 || path[0] != '/')
        return ERR_INVAL;
    if (len > FS_PATH_MAX)
        return ERR_LONGNAME;
    memcpy(work, path, len);
    work[len] = '\0';
    struct vnode cur = covered(root_of(mounts[0]));
    unsigned links = 0;
    size_t at = 0;
    for (;;) {
        while (work[at] == '/')
            at++;
        if (work[at] == '\0') { /* the path ends in a directory: "/", "a/b/" */
            *w = (struct vfs_where){.dir = cur, .found = true, .node = cur};
            return OK;
        }
        size_t start = at;
        while (work[at] != '\0' && work[at] != '/')
            at++;
        size_t clen = at - start, next = at;
        while (work[next] == '/')
            next++;
        bool last = work[next] == '\0';
        if (clen > EXT2_NAME_MAX)
            return ERR_LONGNAME;
        uint16_t type;
        err_t err = type_of(cur, &type);
        if (err != OK)
            return err;
        if (type != EXT2_S_IFDIR)
            return ERR_NOTDIR;
        struct vnode child = cur;
        if (clen == 2 && work[start] == '.' && work[start + 1] == '.') {
            if ((err = parent(cur, &child)) != OK)
                return err;
        } else if (!(clen == 1 && work[start] == '.')) {
            child.m = cur.m;
            err = cur.m->ops->lookup(cur.m->fs, cur.ino, work + start, clen, &child.ino);
            if (err == ERR_NOENT && last) {
                *w = (struct vfs_where){.dir = cur, .len = clen, .found = false};
                memcpy(w->name, work + start, clen);
                return OK;
            }
            if (err != OK)
                return err;
            child = covered(child);
            if ((err = type_of(child, &type)) != OK)
                return err;
            if (type == EXT2_S_IFLNK && (!last || follow)) {
                if (++links > VFS_LINKS_MAX)
                    return ERR_LOOP;
                if ((err = splice(child, work, work + at, strlen(work + at))) != OK)
                    return err;
                if (work[0] == '/')
                    cur = covered(root_of(mounts[0]));
                at = 0;
                continue; /* cur stays: a relative target starts from the link's directory */
            }
        }
        if (last) {
            *w = (struct vfs_where){.dir = cur, .len = clen, .found = true, .node = child};
            memcpy(w->name, work + start, clen);
            return OK;
        }
        cur = child;
        at = next;
    }
}

err_t vfs_resolve(const char *path, size_t len, bool follow, struct vnode *out)
{
    struct vfs_where w;
    err_t err = vfs_lookup(path, len, follow, &w);
    if (err != OK)
        return err;
    if (!w.found)
        return ERR_NOENT;
    *out = w.node;
    return OK;
}
