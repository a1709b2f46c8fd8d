/* fs.h — the file system server's parts: the VFS (vfs.c: mounts and path
 * lookup), the file systems under it (ext2 on a disk, ramfs in memory), and
 * the open files and pipes its clients hold (open.c, pipe.c). */
#ifndef FS_H
#define FS_H

#include <err.h>
#include <ext2.h>
#include <proto/fs.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys.h>

/* What every file system under the VFS does, in ext2's terms (its stat, its
 * directory entries, its attributes): inodes are numbers, names are bytes. */
struct vfs_ops {
    err_t (*stat)(void *fs, uint32_t ino, struct ext2_stat *st);
    err_t (*read)(void *fs, uint32_t ino, uint64_t off, void *buf, size_t len, size_t *got);
    err_t (*write)(void *fs, uint32_t ino, uint64_t off, const void *buf, size_t len);
    err_t (*truncate)(void *fs, uint32_t ino, uint64_t size);
    err_t (*readlink)(void *fs, uint32_t ino, char *buf, size_t cap, size_t *len);
    err_t (*readdir)(void *fs, uint32_t dir, uint64_t *cookie, struct ext2_dirent *out);
    err_t (*lookup)(void *fs, uint32_t dir, const char *name, size_t len, uint32_t *ino);
    err_t (*create)(void *fs, uint32_t dir, const char *name, size_t len, uint16_t mode,
                    uint32_t *ino);
    err_t (*mkdir)(void *fs, uint32_t dir, const char *name, size_t len, uint16_t mode,
                   uint32_t *ino);
    err_t (*symlink)(void *fs, uint32_t dir, const char *name, size_t len, const char *target,
                     size_t target_len, uint32_t *ino);
    err_t (*link)(void *fs, uint32_t dir, const char *name, size_t len, uint32_t ino);
    err_t (*unlink)(void *fs, uint32_t dir, const char *name, size_t len);
    err_t (*rmdir)(void *fs, uint32_t dir, const char *name, size_t len);
    err_t (*rename)(void *fs, uint32_t from_dir, const char *from, size_t from_len, uint32_t to_dir,
                    const char *to, size_t to_len);
    err_t (*setattr)(void *fs, uint32_t ino, const struct ext2_attr *attr);
    err_t (*sync)(void *fs);
    err_t (*statfs)(void *fs, struct fs_statfs *out);
    /* The last open file of ino closed: an inode whose last link went while
     * it was open is freed now (until then fs_busy said so). */
    err_t (*release)(void *fs, uint32_t ino);
    /* Everything to the disk, then everything of it freed (umount). */
    err_t (*unmount)(void *fs);
};

/* open.c: whether an open file is an inode ino of the file system fs. */
bool fs_busy(const void *fs, uint32_t ino);
/* Whether any open file is of the file system fs. */
bool fs_busy_any(const void *fs);

struct mount;

/* A file: an inode of a mounted file system. */
struct vnode {
    struct mount *m;
    uint32_t ino;
};

struct mount {
    const struct vfs_ops *ops;
    void *fs;
    uint32_t root;   /* its root directory's inode */
    struct vnode on; /* the directory it covers; m NULL for the root file system */
    unsigned id;     /* st_dev */
    char what[16];   /* what is mounted, for messages: "disk0", "ramfs" */
    char *at;        /* the path it was mounted on, for FS_MOUNTS */
};

/* vfs.c */
/* Mounts fs at the absolute path at (which must be a directory), or as the
 * root if there is none yet (at NULL). */
MUST_CHECK err_t vfs_mount(const char *at, const struct vfs_ops *ops, void *fs, uint32_t root,
                           const char *what);
/* Calls f on every mounted file system (sync, statfs). */
MUST_CHECK err_t vfs_each(err_t (*f)(struct mount *m));
/* The index-th mount, or NULL past the last. */
struct mount *vfs_mount_at(unsigned index);
/* Takes m out of the tree (the caller unmounted its file system): ERR_BUSY
 * while something is mounted in it, ERR_INVAL for the root. */
MUST_CHECK err_t vfs_unmount(struct mount *m);

/* A path looked up: the directory that holds its last component, that
 * component (name, len; empty for "/"), and the file itself if it exists
 * (found). Symbolic links on the way are followed, the last one only with
 * follow. */
struct vfs_where {
    struct vnode dir;
    char name[EXT2_NAME_MAX + 1];
    size_t len;
    bool found;
    struct vnode node;
};
MUST_CHECK err_t vfs_lookup(const char *path, size_t len, bool follow, struct vfs_where *w);
/* The same for a path that must exist. */
MUST_CHECK err_t vfs_resolve(const char *path, size_t len, bool follow, struct vnode *out);
/* Whether directory v is ancestor or lies below it. */
bool vfs_below(struct vnode v, struct vnode ancestor);

/* Seconds since 1970. There is no clock of the date yet: it is 2026-01-01
 * plus the seconds since boot. */
#define FS_EPOCH 1767225600u
static inline uint32_t fs_now(void) { return FS_EPOCH + (uint32_t)(sys_now_ns() / 1000000000u); }

static inline bool vnode_same(struct vnode a, struct vnode b)
{
    return a.m == b.m && a.ino == b.ino;
}

/* ext2fs.c: ext2 on the disk the name registers (disk0, ...); ERR_NOENT if
 * no such disk comes up by the deadline (ns of the system clock). */
MUST_CHECK err_t ext2fs_attach(const char *disk, uint64_t deadline_ns, const char *at);

/* ramfs.c: an empty RAM file system mounted at at (NULL: the root). */
MUST_CHECK err_t ramfs_attach(const char *at);

#endif
