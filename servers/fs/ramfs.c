/* ramfs.c — a file system in FS's own memory (the root's skeleton and
 * /tmp): what it holds goes with FS. Inodes are entries of a table that
 * grows; a directory is an array of names; a file's or a link's bytes are one
 * buffer. It obeys the same rules as ext2 (names, links, what rename and
 * rmdir refuse). Its files' bytes may take up to half the machine's RAM, as
 * Linux's tmpfs: past that, or when FS's memory is gone, ERR_NOSPACE, so
 * that a client cannot have FS take every page there is. */
#include "fs.h"

#include <ram.h>
#include <stdlib.h>
#include <string.h>

struct rentry {
    char *name;
    uint32_t len;
    uint32_t ino;
};

struct rnode {
    bool used;
    uint16_t mode, links;
    uint32_t atime, mtime, ctime;
    uint32_t parent; /* a directory's */
    uint64_t size;
    uint8_t *data; /* a file's or link's bytes */
    uint64_t cap;
    struct rentry *ents; /* a directory's names */
    uint32_t nents, cap_ents;
};

struct ramfs {
    struct rnode *nodes; /* inode n is nodes[n - 1] */
    uint32_t nnodes, cap_nodes, used;
    uint64_t bytes, budget; /* the files' buffers, and what they may take */
};

#define RAMFS_ROOT 1

static struct rnode *node(struct ramfs *r, uint32_t ino)
{
    return ino >= 1 && ino <= r->nnodes && r->nodes[ino - 1].used ? &r->nodes[ino - 1] : NULL;
}

static bool is_dir(const struct rnode *n) { return (n->mode & EXT2_S_IFMT) == EXT2_S_IFDIR; }

static err_t new_node(struct ramfs *r, uint16_t mode, uint32_t *ino)
{
    uint32_t i = 0;
    while (i < r->nnodes && r->nodes[i].used)
        i++;
    if (i == r->nnodes) {
        if (r->nnodes == r->cap_nodes) {
            uint32_t cap = r->cap_nodes ? 2 * r->cap_nodes : 16;
            struct rnode *grown = realloc(r->nodes, cap * sizeof *grown);
            if (grown == NULL)
                return ERR_NOSPACE;
            r->nodes = grown;
            r->cap_nodes = cap;
        }
        r->nnodes++;
    }
    uint32_t now = fs_now();
    r->nodes[i] = (struct rnode){
        .used = true, .mode = mode, .links = 1, .atime = now, .mtime = now, .ctime = now};
    r->used++;
    *ino = i + 1;
    return OK;
}

static void free_node(struct ramfs *r, struct rnode *n)
{
    r->bytes -= n->cap;
    free(n->data);
    for (uint32_t i = 0; i < n->nents; i++)
        free(n->ents[i].name);
    free(n->ents);
    *n = (struct rnode){0};
    r->used--;
}

static struct rentry *find(struct rnode *dir, const char *name, size_t len)
{
    for (uint32_t i = 0; i < dir->nents; i++)
        if (dir->ents[i].len == len && memcmp(dir->ents[i].name, name, len) == 0)
            return &dir->ents[i];
    return NULL;
}

static err_t add_entry(struct rnode *dir, const char *name, size_t len, uint32_t ino)
{
    if (dir->nents == dir->cap_ents) {
        uint32_t cap = dir->cap_ents ? 2 * dir->cap_ents : 8;
        struct rentry *grown = realloc(dir->ents, cap * sizeof *grown);
        if (grown == NULL)
            return ERR_NOSPACE;
        dir->ents = grown;
        dir->cap_ents = cap;
    }
    char *copy = malloc(len);
    if (copy == NULL)
        return ERR_NOSPACE;
    memcpy(copy, name, len);
    dir->ents[dir->nents++] = (struct rentry){copy, (uint32_t)len, ino};
    dir->mtime = dir->ctime = fs_now();
    dir->size = dir->nents;
    return OK;
}

static void remove_entry(struct rnode *dir, struct rentry *e)
{
    free(e->name);
    uint32_t i = (uint32_t)(e - dir->ents);
    memmove(e, e + 1, (dir->nents - i - 1) * sizeof *e);
    dir->nents--;
    dir->mtime = dir->ctime = fs_now();
    dir->size = dir->nents;
}

static err_t r_stat(void *fs, uint32_t ino, struct ext2_stat *st)
{
    struct rnode *n = node(fs, ino);
    if (n == NULL)
        return ERR_NOENT;
    *st = (struct ext2_stat){.ino = ino,
                             .mode = n->mode,
                             .links = n->links,
                             .size = n->size,
                             .blocks = (n->cap + 511) / 512,
                             .atime = n->atime,
                             .mtime = n->mtime,
                             .ctime = n->ctime};
    return OK;
}

static err_t r_read(void *fs, uint32_t ino, uint64_t off, void *buf, size_t len, size_t *got)
{
    struct rnode *n = node(fs, ino);
    *got = 0;
    if (n == NULL)
        return ERR_NOENT;
    if (is_dir(n))
        return ERR_ISDIR;
    if (off >= n->size)
        return OK;
    *got = n->size - off < len ? (size_t)(n->size - off) : len;
    memcpy(buf, n->data + off, *got);
    return OK;
}

/* Makes room for size bytes, zeroing what is new, within the budget. */
static err_t reserve(struct ramfs *r, struct rnode *n, uint64_t size)
{
    if (size > n->cap) {
        uint64_t cap = n->cap ? n->cap : 64;
        while (cap < size && cap <= UINT64_MAX / 2)
            cap *= 2;
        if (cap < size || cap - n->cap > r->budget - r->bytes)
            return ERR_NOSPACE;
        if (cap != (size_t)cap)
            return ERR_TOOBIG;
        uint8_t *grown = realloc(n->data, (size_t)cap);
        if (grown == NULL)
            return ERR_NOSPACE;
        memset(grown + n->cap, 0, (size_t)(cap - n->cap));
        r->bytes += cap - n->cap;
        n->data = grown;
        n->cap = cap;
    }
    return OK;
}

static err_t r_write(void *fs, uint32_t ino, uint64_t off, const void *buf, size_t len)
{
    struct rnode *n = node(fs, ino);
    if (n == NULL)
        return ERR_NOENT;
    if (is_dir(n))
        return ERR_ISDIR;
    if (off + len < off)
        return ERR_TOOBIG;
    if (len == 0)
        return OK; /* nothing written: the size stays, as POSIX has it */
    err_t err = reserve(fs, n, off + len);
    if (err != OK)
        return err;
    memcpy(n->data + off, buf, len);
    if (off + len > n->size)
        n->size = off + len;
    n->mtime = n->ctime = fs_now();
    return OK;
}

static err_t r_truncate(void *fs, uint32_t ino, uint64_t size)
{
    struct rnode *n = node(fs, ino);
    if (n == NULL)
        return ERR_NOENT;
    if (is_dir(n))
        return ERR_ISDIR;
    err_t err = reserve(fs, n, size);
    if (err != OK)
        return err;
    if (size < n->size)
        memset(n->data + size, 0, (size_t)(n->size - size));
    n->size = size;
    n->mtime = n->ctime = fs_now();
    return OK;
}

static err_t r_readlink(void *fs, uint32_t ino, char *buf, size_t cap, size_t *len)
{
    struct rnode *n = node(fs, ino);
    if (n == NULL)
        return ERR_NOENT;
    if ((n->mode & EXT2_S_IFMT) != EXT2_S_IFLNK)
        return ERR_INVAL;
    *len = n->size < cap ? (size_t)n->size : cap;
    memcpy(buf, n->data, *len);
    return OK;
}

static err_t r_readdir(void *fs, uint32_t dir, uint64_t *cookie, struct ext2_dirent *out)
{
    struct rnode *d = node(fs, dir);
    if (d == NULL)
        return ERR_NOENT;
    if (!is_dir(d))
        return ERR_NOTDIR;
    if (*cookie < 2) {
        *out = (struct ext2_dirent){.ino = *cookie == 0 ? dir : d->parent,
                                    .type = EXT2_FT_DIR,
                                    .name_len = (uint8_t)(*cookie + 1)};
        memcpy(out->name, "..", *cookie + 1);
    } else if (*cookie - 2 < d->nents) {
        const struct rentry *e = &d->ents[*cookie - 2];
        const struct rnode *n = node(fs, e->ino);
        uint16_t t = n->mode & EXT2_S_IFMT;
        *out = (struct ext2_dirent){.ino = e->ino,
                                    .name_len = (uint8_t)e->len,
                                    .type = t == EXT2_S_IFDIR   ? EXT2_FT_DIR
                                            : t == EXT2_S_IFLNK ? EXT2_FT_LNK
                                                                : EXT2_FT_REG};
        memcpy(out->name, e->name, e->len);
    } else {
        return ERR_END;
    }
    out->name[out->name_len] = '\0';
    ++*cookie;
    return OK;
}

static err_t r_lookup(void *fs, uint32_t dir, const char *name, size_t len, uint32_t *ino)
{
    struct rnode *d = node(fs, dir);
    if (d == NULL)
        return ERR_NOENT;
    if (!is_dir(d))
        return ERR_NOTDIR;
    if (len == 1 && name[0] == '.') {
        *ino = dir;
        return OK;
    }
    if (len == 2 && name[0] == '.' && name[1] == '.') {
        *ino = d->parent;
        return OK;
    }
    struct rentry *e = find(d, name, len);
    if (e == NULL)
        return ERR_NOENT;
    *ino = e->ino;
    return OK;
}

/* A new inode named name in dir; its parent (for a directory) is dir. */
static err_t make(struct ramfs *r, uint32_t dir, const char *name, size_t len, uint16_t mode,
                  uint32_t *ino)
{
    struct rnode *d = node(r, dir);
    if (d == NULL)
        return ERR_NOENT;
    if (!is_dir(d))
        return ERR_NOTDIR;
    if (len == 0 || len > EXT2_NAME_MAX)
        return len == 0 ? ERR_INVAL : ERR_LONGNAME;
    if (find(d, name, len) != NULL || (len == 1 && name[0] == '.') ||
        (len == 2 && name[0] == '.' && name[1] == '.'))
        return ERR_EXIST;
    err_t err = new_node(r, mode, ino);
    if (err != OK)
        return err;
    d = node(r, dir); /* the table may have moved */
    if ((err = add_entry(d, name, len, *ino)) != OK) {
        free_node(r, node(r, *ino));
        return err;
    }
    node(r, *ino)->parent = dir;
    return OK;
}

static err_t r_create(void *fs, uint32_t dir, const char *name, size_t len, uint16_t mode,
                      uint32_t *ino)
{
    if ((mode & EXT2_S_IFMT) == 0)
        mode |= EXT2_S_IFREG;
    if ((mode & EXT2_S_IFMT) == EXT2_S_IFDIR || (mode & EXT2_S_IFMT) == EXT2_S_IFLNK)
        return ERR_INVAL;
    return make(fs, dir, name, len, mode, ino);
}

static err_t r_mkdir(void *fs, uint32_t dir, const char *name, size_t len, uint16_t mode,
                     uint32_t *ino)
{
    err_t err = make(fs, dir, name, len, EXT2_S_IFDIR | (mode & 07777), ino);
    if (err == OK) {
        node(fs, *ino)->links = 2;
        node(fs, dir)->links++;
    }
    return err;
}

static err_t r_unlink(void *fs, uint32_t dir, const char *name, size_t len);

static err_t r_symlink(void *fs, uint32_t dir, const char *name, size_t len, const char *target,
                       size_t target_len, uint32_t *ino)
{
    if (target_len == 0 || target_len > FS_PATH_MAX)
        return target_len == 0 ? ERR_NOENT : ERR_LONGNAME;
    err_t err = make(fs, dir, name, len, EXT2_S_IFLNK | 0777, ino);
    if (err != OK)
        return err;
    if ((err = r_write(fs, *ino, 0, target, target_len)) != OK)
        (void)r_unlink(fs, dir, name, len); /* no memory for its target: no link */
    return err;
}

static err_t r_link(void *fs, uint32_t dir, const char *name, size_t len, uint32_t ino)
{
    struct rnode *n = node(fs, ino), *d = node(fs, dir);
    if (n == NULL || d == NULL)
        return ERR_NOENT;
    if (is_dir(n))
        return ERR_PERM;
    if (!is_dir(d))
        return ERR_NOTDIR;
    if (n->links == UINT16_MAX)
        return ERR_TOOBIG;
    if (find(d, name, len) != NULL)
        return ERR_EXIST;
    err_t err = add_entry(d, name, len, ino);
    if (err == OK) {
        n->links++;
        n->ctime = fs_now();
    }
    return err;
}

/* Frees n unless it is open: then it stays, unnamed, until r_release. */
static void free_unless_open(struct ramfs *r, struct rnode *n)
{
    n->links = 0;
    if (!fs_busy(r, (uint32_t)(n - r->nodes) + 1))
        free_node(r, n);
}

static void drop_link(struct ramfs *r, struct rnode *n)
{
    if (--n->links == 0)
        free_unless_open(r, n);
    else
        n->ctime = fs_now();
}

static err_t r_unlink(void *fs, uint32_t dir, const char *name, size_t len)
{
    struct rnode *d = node(fs, dir);
    if (d == NULL)
        return ERR_NOENT;
    struct rentry *e = find(d, name, len);
    if (e == NULL)
        return ERR_NOENT;
    struct rnode *n = node(fs, e->ino);
    if (is_dir(n))
        return ERR_ISDIR;
    remove_entry(d, e);
    drop_link(fs, n);
    return OK;
}

static err_t r_rmdir(void *fs, uint32_t dir, const char *name, size_t len)
{
    struct rnode *d = node(fs, dir);
    if (d == NULL)
        return ERR_NOENT;
    if ((len == 1 && name[0] == '.'))
        return ERR_INVAL;
    if (len == 2 && name[0] == '.' && name[1] == '.')
        return ERR_NOTEMPTY;
    struct rentry *e = find(d, name, len);
    if (e == NULL)
        return ERR_NOENT;
    struct rnode *n = node(fs, e->ino);
    if (!is_dir(n))
        return ERR_NOTDIR;
    if (n->nents > 0)
        return ERR_NOTEMPTY;
    remove_entry(d, e);
    d->links--;
    free_unless_open(fs, n);
    return OK;
}

/* Whether ino is dir or lies below it. */
static bool below(struct ramfs *r, uint32_t ino, uint32_t dir)
{
    for (uint32_t i = ino, steps = 0; steps <= r->nnodes; steps++) {
        if (i == dir)
            return true;
        if (i == RAMFS_ROOT)
            return false;
        i = node(r, i)->parent;
    }
    return true; /* a cycle cannot be: say yes, and refuse */
}

static err_t r_rename(void *fs, uint32_t from_dir, const char *from, size_t from_len,
                      uint32_t to_dir, const char *to, size_t to_len)
{
    struct ramfs *r = fs;
    struct rnode *fd = node(r, from_dir), *td = node(r, to_dir);
    if (fd == NULL || td == NULL)
        return ERR_NOENT;
    if (!is_dir(td))
        return ERR_NOTDIR;
    struct rentry *e = find(fd, from, from_len);
    if (e == NULL)
        return ERR_NOENT;
    uint32_t ino = e->ino;
    struct rnode *n = node(r, ino);
    if (is_dir(n) && below(r, to_dir, ino))
        return ERR_INVAL;
    struct rentry *old = find(td, to, to_len);
    if (old != NULL) {
        if (old->ino == ino)
            return OK; /* two names of one file: POSIX says do nothing */
        struct rnode *o = node(r, old->ino);
        if (is_dir(o) && !is_dir(n))
            return ERR_ISDIR;
        if (!is_dir(o) && is_dir(n))
            return ERR_NOTDIR;
        if (is_dir(o) && o->nents > 0)
            return ERR_NOTEMPTY;
        old->ino = ino; /* the name now names the moved file */
        if (is_dir(o)) {
            td->links--;
            free_unless_open(r, o);
        } else {
            drop_link(r, o);
        }
        e = find(fd, from, from_len);
        remove_entry(fd, e);
    } else {
        err_t err = add_entry(td, to, to_len, ino);
        if (err != OK)
            return err;
        fd = node(r, from_dir);
        remove_entry(fd, find(fd, from, from_len));
    }
    if (is_dir(n) && from_dir != to_dir) {
        n->parent = to_dir;
        node(r, from_dir)->links--;
        node(r, to_dir)->links++;
    }
    n->ctime = fs_now();
    return OK;
}

static err_t r_setattr(void *fs, uint32_t ino, const struct ext2_attr *a)
{
    struct rnode *n = node(fs, ino);
    if (n == NULL)
        return ERR_NOENT;
    if (a->mask & EXT2_SET_MODE)
        n->mode = (uint16_t)((n->mode & EXT2_S_IFMT) | (a->mode & 07777));
    if (a->mask & EXT2_SET_ATIME)
        n->atime = a->atime;
    if (a->mask & EXT2_SET_MTIME)
        n->mtime = a->mtime;
    n->ctime = fs_now();
    return OK;
}

static err_t r_sync(void *fs)
{
    (void)fs;
    return OK;
}

static err_t r_statfs(void *fs, struct fs_statfs *out)
{
    struct ramfs *r = fs;
    *out = (struct fs_statfs){.block_size = 512,
                              .blocks = r->budget / 512,
                              .blocks_free = (r->budget - r->bytes) / 512,
                              .files = r->used,
                              .name_max = EXT2_NAME_MAX};
    return OK;
}

static err_t r_release(void *fs, uint32_t ino)
{
    struct rnode *n = node(fs, ino);
    if (n != NULL && n->links == 0)
        free_node(fs, n);
    return OK;
}

static err_t r_unmount(void *fs)
{
    struct ramfs *r = fs;
    for (uint32_t i = 0; i < r->nnodes; i++)
        if (r->nodes[i].used)
            free_node(r, &r->nodes[i]);
    free(r->nodes);
    free(r);
    return OK;
}

static const struct vfs_ops ramfs_vfs = {
    .stat = r_stat,
    .read = r_read,
    .write = r_write,
    .truncate = r_truncate,
    .readlink = r_readlink,
    .readdir = r_readdir,
    .lookup = r_lookup,
    .create = r_create,
    .mkdir = r_mkdir,
    .symlink = r_symlink,
    .link = r_link,
    .unlink = r_unlink,
    .rmdir = r_rmdir,
    .rename = r_rename,
    .setattr = r_setattr,
    .sync = r_sync,
    .statfs = r_statfs,
    .release = r_release,
    .unmount = r_unmount,
};

/* Half of the RAM the monitors share out, all cores together. */
/* Monitor 0 shares out the machine's RAM: what it holds and what it lent is
 * all of it, known with one question (asking every core's monitor in turn
 * made FS's monitor dial every other one). */
static uint64_t half_the_ram(void)
{
    struct ns_meminfo info;
    if (ram_info(0, &info) != OK)
        return 0;
    return (info.total + info.lent) / 2;
}

err_t ramfs_attach(const char *at)
{
    struct ramfs *r = calloc(1, sizeof *r);
    uint32_t root;
    if (r == NULL || new_node(r, EXT2_S_IFDIR | 0755, &root) != OK) {
        free(r);
        return ERR_NOMEM;
    }
    r->budget = half_the_ram();
    node(r, root)->links = 2;
    node(r, root)->parent = root;
    err_t err = vfs_mount(at, &ramfs_vfs, r, root, "ramfs");
    if (err != OK) {
        free_node(r, node(r, root));
        free(r->nodes);
        free(r);
    }
    return err;
}
