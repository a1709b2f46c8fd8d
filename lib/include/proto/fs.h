/* proto/fs.h — the file system server's protocol ("fs"). Paths and data move
 * through the client's grant (proto/srv.h): a request names a byte offset in
 * it and a length. Paths are absolute (the C library keeps the working
 * directory and joins relative ones), at most FS_PATH_MAX bytes, no NUL.
 *
 * An open file is a handle: FS's open-file object with its position and its
 * mode, shared by everyone who holds it (dup, inheritance). A process holds
 * each handle it opened, adopted or was lent; when it ends, FS lets go of
 * what it held. To pass a handle to a program it starts, a process lends it
 * (FS_LEND) before the start, and the new program adopts it (FS_ADOPT): a
 * handle nobody lent cannot be adopted. */
#ifndef PROTO_FS_H
#define PROTO_FS_H

#include <proto.h>

#define FS_NAME     "fs"
#define FS_PATH_MAX 4096

/* Where a string lies in the grant. */
struct fs_path {
    uint32_t offset;
    uint32_t len;
};

/* FS_OPEN's flags (not newlib's numbers: the C library translates). */
enum {
    FS_O_READ = 1,
    FS_O_WRITE = 2,
    FS_O_CREATE = 4,
    FS_O_EXCL = 8,
    FS_O_TRUNC = 16,
    FS_O_APPEND = 32,
    FS_O_DIRECTORY = 64, /* only a directory (ERR_NOTDIR otherwise) */
    FS_O_NOFOLLOW = 128, /* a symbolic link as the last component is refused (ERR_LOOP) */
    FS_O_ALL = 255,
};

struct fs_open {
    struct fs_path path;
    uint32_t flags;
    uint32_t mode; /* permission bits of a file it creates, umask applied */
};

/* A handle: an index in FS's table and a key that changes with each use of it. */
struct fs_handle {
    uint64_t handle;
};

struct fs_opened {
    uint64_t handle;
    uint32_t mode;  /* its type and permission bits (S_IF* as ext2 has them) */
    uint32_t flags; /* FS_O_READ, FS_O_WRITE, FS_O_APPEND: what it is open for */
};

/* FS_READ and FS_WRITE: bytes at the handle's position (which moves), or at
 * pos with FS_AT (which leaves it). */
enum { FS_AT = 1 };
struct fs_io {
    uint64_t handle;
    uint64_t pos;
    uint32_t offset; /* in the grant */
    uint32_t bytes;
    uint32_t flags;
    uint32_t pad;
};

struct fs_done {
    uint64_t bytes;
    uint64_t pos; /* the handle's position after */
};

enum { FS_SEEK_SET, FS_SEEK_CUR, FS_SEEK_END };
struct fs_seek {
    uint64_t handle;
    int64_t offset;
    uint32_t whence;
    uint32_t pad;
};

/* What FS_STAT and FS_FSTAT write into the grant at out. */
struct fs_stat {
    uint64_t dev, ino;
    uint32_t mode, links;
    uint32_t uid, gid;
    uint64_t size;
    uint64_t blocks; /* 512-byte units */
    uint32_t blksize, pad;
    int64_t atime, mtime, ctime;
};

struct fs_stat_req {
    struct fs_path path;
    uint32_t flags; /* FS_O_NOFOLLOW: the link itself (lstat) */
    uint32_t out;   /* where the struct fs_stat goes in the grant */
};

struct fs_fstat_req {
    uint64_t handle;
    uint32_t out;
    uint32_t pad;
};

/* Two paths: rename (from, to), link (existing, new), symlink (target, new). */
struct fs_paths {
    struct fs_path a, b;
};

struct fs_mkdir {
    struct fs_path path;
    uint32_t mode;
    uint32_t pad;
};

struct fs_readlink {
    struct fs_path path;
    uint32_t out; /* where the target goes, without a NUL */
    uint32_t cap;
};

/* Entries from cookie onward, packed as struct fs_dirent at out (each
 * 8-aligned, reclen bytes), as many as fit in cap; count 0: the end. */
struct fs_readdir {
    uint64_t handle;
    uint64_t cookie;
    uint32_t out;
    uint32_t cap;
};

struct fs_dirents {
    uint64_t cookie; /* where the next call starts */
    uint32_t count;
    uint32_t bytes;
};

struct fs_dirent {
    uint64_t ino;
    uint16_t reclen;
    uint8_t type; /* DT_* of <dirent.h> */
    uint8_t name_len;
    char name[]; /* name_len bytes and a NUL */
};

struct fs_truncate {
    struct fs_path path;
    uint64_t size;
};

struct fs_ftruncate {
    uint64_t handle;
    uint64_t size;
};

/* FS_SETATTR: what mask names, of the rest. Times in seconds since 1970. */
enum { FS_SET_MODE = 1, FS_SET_ATIME = 2, FS_SET_MTIME = 4, FS_SET_NOW = 8 /* both times: now */ };
struct fs_setattr {
    struct fs_path path;
    uint32_t mask;
    uint32_t mode;
    int64_t atime;
    int64_t mtime;
};

struct fs_statfs_req {
    struct fs_path path;
    uint32_t out; /* where the struct fs_statfs goes */
    uint32_t pad;
};

struct fs_statfs {
    uint64_t block_size;
    uint64_t blocks, blocks_free;
    uint64_t files, files_free;
    uint32_t name_max;
    uint32_t flags; /* FS_STATFS_RDONLY */
};
enum { FS_STATFS_RDONLY = 1 };

struct fs_pipe {
    uint64_t read, write; /* the two ends' handles */
};

/* Whether a read or a write of a handle would be answered at once (for
 * poll): a file's always; a pipe's read when bytes wait or no writer is left,
 * its write when there is room or no reader is left (then ERR_PIPE). */
struct fs_ready {
    uint32_t readable, writable;
};

#define FS_DISK_MAX 16

struct fs_mount {
    struct fs_path path;    /* a directory */
    char disk[FS_DISK_MAX]; /* the block driver's name: "disk1" */
};

/* FS_MOUNTS: the index-th mount, its directory written into the grant at out. */
struct fs_mounts_req {
    uint32_t index;
    uint32_t out;
    uint32_t cap;
    uint32_t pad;
};

struct fs_mounted {
    char what[FS_DISK_MAX]; /* "disk0", "ramfs" */
    uint32_t path_len;      /* the directory's, written at out (at most cap bytes) */
    uint32_t flags;         /* FS_STATFS_RDONLY */
};

static inline bool fs_mount_ok(const void *payload)
{
    return proto_str_ok(((const struct fs_mount *)payload)->disk, FS_DISK_MAX);
}

#define FS_MESSAGES(X)                                                                             \
    /* a handle of a file or directory; ERR_NOENT, ERR_EXIST (FS_O_CREATE|FS_O_EXCL), ERR_ISDIR */ \
    /* (a directory for writing), ERR_NOTDIR, ERR_LOOP, ERR_ROFS, ERR_LONGNAME */                  \
    X(FS_OPEN, 0xb00, fs_open, struct fs_open, struct fs_opened, 0, NULL)                          \
    /* lets go of the caller's hold; ERR_BADF if it holds none */                                  \
    X(FS_CLOSE, 0xb01, fs_close, struct fs_handle, struct proto_none, 0, NULL)                     \
    /* into the grant; bytes 0 at the end; a pipe waits for a writer's bytes or its last close  */ \
    X(FS_READ, 0xb02, fs_read, struct fs_io, struct fs_done, 0, NULL)                              \
    /* from the grant; ERR_PIPE for a pipe nobody reads; ERR_BADF if not open for writing */       \
    X(FS_WRITE, 0xb03, fs_write, struct fs_io, struct fs_done, 0, NULL)                            \
    /* moves the position; ERR_INVAL before 0; a pipe's is ERR_RANGE (ESPIPE) */                   \
    X(FS_SEEK, 0xb04, fs_seek, struct fs_seek, struct fs_done, 0, NULL)                            \
    X(FS_STAT, 0xb05, fs_stat, struct fs_stat_req, struct proto_none, PROTO_IDEMPOTENT, NULL)      \
    X(FS_FSTAT, 0xb06, fs_fstat, struct fs_fstat_req, struct proto_none, PROTO_IDEMPOTENT, NULL)   \
    X(FS_READDIR, 0xb07, fs_readdir, struct fs_readdir, struct fs_dirents, PROTO_IDEMPOTENT, NULL) \
    X(FS_MKDIR, 0xb08, fs_mkdir, struct fs_mkdir, struct proto_none, 0, NULL)                      \
    X(FS_UNLINK, 0xb09, fs_unlink, struct fs_path, struct proto_none, 0, NULL)                     \
    X(FS_RMDIR, 0xb0a, fs_rmdir, struct fs_path, struct proto_none, 0, NULL)                       \
    /* ERR_XDEV across file systems */                                                             \
    X(FS_RENAME, 0xb0b, fs_rename, struct fs_paths, struct proto_none, 0, NULL)                    \
    X(FS_LINK, 0xb0c, fs_link, struct fs_paths, struct proto_none, 0, NULL)                        \
    X(FS_SYMLINK, 0xb0d, fs_symlink, struct fs_paths, struct proto_none, 0, NULL)                  \
    X(FS_READLINK, 0xb0e, fs_readlink, struct fs_readlink, struct fs_done, PROTO_IDEMPOTENT, NULL) \
    X(FS_TRUNCATE, 0xb0f, fs_truncate, struct fs_truncate, struct proto_none, PROTO_IDEMPOTENT,    \
      NULL)                                                                                        \
    X(FS_FTRUNCATE, 0xb10, fs_ftruncate, struct fs_ftruncate, struct proto_none, PROTO_IDEMPOTENT, \
      NULL)                                                                                        \
    X(FS_SETATTR, 0xb11, fs_setattr, struct fs_setattr, struct proto_none, PROTO_IDEMPOTENT, NULL) \
    /* every changed block of every file system onto its disk */                                   \
    X(FS_SYNC, 0xb12, fs_sync, struct proto_none, struct proto_none, PROTO_IDEMPOTENT, NULL)       \
    /* the handle's file system onto its disk */                                                   \
    X(FS_FSYNC, 0xb13, fs_fsync, struct fs_handle, struct proto_none, PROTO_IDEMPOTENT, NULL)      \
    X(FS_STATFS, 0xb14, fs_statfs, struct fs_statfs_req, struct proto_none, PROTO_IDEMPOTENT,      \
      NULL)                                                                                        \
    /* two handles, the caller holding both */                                                     \
    X(FS_PIPE, 0xb15, fs_pipe, struct proto_none, struct fs_pipe, 0, NULL)                         \
    /* one more hold of a handle the caller holds, for a program it starts to adopt */             \
    X(FS_LEND, 0xb16, fs_lend, struct fs_handle, struct proto_none, 0, NULL)                       \
    /* takes over a hold someone lent; ERR_BADF if none is lent */                                 \
    X(FS_ADOPT, 0xb17, fs_adopt, struct fs_handle, struct fs_opened, 0, NULL)                      \
    /* the ext2 file system of a disk on a directory; ERR_BUSY if something is mounted there,   */ \
    /* ERR_NOENT if no such disk answers within a few seconds, ERR_IO for an image it refuses   */ \
    X(FS_MOUNT, 0xb18, fs_mount, struct fs_mount, struct proto_none, 0, fs_mount_ok)               \
    /* the file system mounted on a directory, synced first; ERR_BUSY while files of it are     */ \
    /* open or something is mounted in it, ERR_INVAL for a directory nothing is mounted on */      \
    X(FS_UMOUNT, 0xb19, fs_umount, struct fs_path, struct proto_none, 0, NULL)                     \
    /* the index-th mount; ERR_END past the last */                                                \
    X(FS_MOUNTS, 0xb1a, fs_mounts, struct fs_mounts_req, struct fs_mounted, PROTO_IDEMPOTENT,      \
      NULL)                                                                                        \
    /* whether the handle is ready to read and to write; ERR_BADF */                               \
    X(FS_POLL, 0xb1b, fs_poll, struct fs_handle, struct fs_ready, PROTO_IDEMPOTENT, NULL)

PROTO_TYPES(fs_msg_type, FS_MESSAGES)

#endif
