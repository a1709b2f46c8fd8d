/* ext2.h — an ext2 revision 1 file system over a block device the caller
 * provides: mount, read, write, directories. Freestanding: it allocates nothing
 * and keeps no global state; everything lives in the caller's struct ext2 and the
 * cache memory passed to ext2_mount. Any image, however damaged, gives an error
 * (with a reason in fs->reason), never a crash or an endless loop. */
#ifndef EXT2_H
#define EXT2_H

#include <err.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint32_t ext2_ino_t;

#define EXT2_ROOT_INO    2
#define EXT2_NAME_MAX    255
#define EXT2_SECTOR      512 /* the unit of the block device interface */
#define EXT2_CACHE_MIN   8   /* blocks of cache memory ext2_mount needs at least */
#define EXT2_CACHE_SLOTS 64  /* a small cache, for tools and tests */

/* The device, in 512-byte sectors. Both calls move whole sectors. */
struct ext2_dev {
    void *ctx;
    err_t (*read)(void *ctx, uint64_t sector, uint32_t count, void *buf);
    err_t (*write)(void *ctx, uint64_t sector, uint32_t count, const void *buf);
    uint64_t sectors;
};

/* One block of the cache: pinned while a caller inside the library holds it. */
struct ext2_buf {
    uint32_t block;
    uint32_t last_use;
    uint16_t pins;
    bool valid, dirty;
    uint8_t *data;
};

/* What mount learned from the superblock, checked once. */
struct ext2_geom {
    uint32_t block_size, blocks, inodes, groups;
    uint32_t blocks_per_group, inodes_per_group, inode_size, first_ino;
    uint32_t first_data_block, gdt_blocks, itable_blocks, addr_per_block;
    uint64_t max_file_blocks; /* blocks the block map can address */
};

struct ext2 {
    struct ext2_dev dev;
    struct ext2_geom g;
    bool readonly;
    uint32_t now;       /* seconds since 1970; the caller sets it, operations stamp times */
    const char *reason; /* why the last call failed, in words; static */
    /* Whether the caller has inode ino open: then its last link going leaves
     * it allocated (an orphan) until ext2_release. NULL: nothing is open. */
    bool (*busy)(void *ctx, ext2_ino_t ino);
    void *busy_ctx;
    uint8_t super[1024];
    uint32_t use_clock;
    uint32_t nbufs;
    struct ext2_buf *bufs; /* at the start of the caller's cache memory */
};

enum { EXT2_MOUNT_RDONLY = 1 };

/* The file types of st_mode's upper bits (the same values as POSIX's S_IF*). */
#define EXT2_S_IFMT   0xf000
#define EXT2_S_IFSOCK 0xc000
#define EXT2_S_IFLNK  0xa000
#define EXT2_S_IFREG  0x8000
#define EXT2_S_IFBLK  0x6000
#define EXT2_S_IFDIR  0x4000
#define EXT2_S_IFCHR  0x2000
#define EXT2_S_IFIFO  0x1000

struct ext2_stat {
    ext2_ino_t ino;
    uint16_t mode, links;
    uint32_t uid, gid;
    uint64_t size;
    uint64_t blocks; /* 512-byte sectors held, metadata included */
    uint32_t atime, mtime, ctime;
};

struct ext2_dirent {
    ext2_ino_t ino;
    uint8_t type; /* EXT2_FT_*, or 0 where the file system keeps no types */
    uint8_t name_len;
    char name[EXT2_NAME_MAX + 1];
};

enum {
    EXT2_FT_REG = 1,
    EXT2_FT_DIR = 2,
    EXT2_FT_CHR = 3,
    EXT2_FT_BLK = 4,
    EXT2_FT_FIFO = 5,
    EXT2_FT_SOCK = 6,
    EXT2_FT_LNK = 7
};

/* Fields of ext2_setattr to change. */
enum {
    EXT2_SET_MODE = 1, /* permission bits only; the type stays */
    EXT2_SET_UID = 2,
    EXT2_SET_GID = 4,
    EXT2_SET_ATIME = 8,
    EXT2_SET_MTIME = 16,
};

struct ext2_attr {
    unsigned mask;
    uint16_t mode;
    uint32_t uid, gid, atime, mtime;
};

/* The cache memory that holds blocks blocks of block_size bytes. */
#define EXT2_CACHE_BYTES(blocks, block_size)                                                       \
    ((size_t)(blocks) * ((block_size) + sizeof(struct ext2_buf)) + 64)

/* Mount: checks the superblock and every group descriptor. cache is the
 * block cache's memory, as many blocks of the file system's block size as
 * fit (EXT2_CACHE_BYTES), at least EXT2_CACHE_MIN; 8-byte aligned. */
err_t ext2_mount(struct ext2 *fs, const struct ext2_dev *dev, void *cache, size_t cache_size,
                 unsigned flags) MUST_CHECK;
/* Writes every changed block back to the device. */
err_t ext2_sync(struct ext2 *fs) MUST_CHECK;

/* Reading. */
err_t ext2_stat(struct ext2 *fs, ext2_ino_t ino, struct ext2_stat *st) MUST_CHECK;
err_t ext2_read(struct ext2 *fs, ext2_ino_t ino, uint64_t off, void *buf, size_t len,
                size_t *got) MUST_CHECK;
err_t ext2_readlink(struct ext2 *fs, ext2_ino_t ino, char *buf, size_t cap, size_t *len) MUST_CHECK;
/* Directory entries one at a time: *cookie starts at 0; ERR_END after the last. */
err_t ext2_readdir(struct ext2 *fs, ext2_ino_t dir, uint64_t *cookie,
                   struct ext2_dirent *out) MUST_CHECK;
err_t ext2_lookup(struct ext2 *fs, ext2_ino_t dir, const char *name, size_t len,
                  ext2_ino_t *ino) MUST_CHECK;
/* A '/'-separated path from dir (from the root if it starts with '/'); follows
 * no symbolic links. Each component costs at least one byte of path, so a
 * directory that contains itself cannot make it loop. */
err_t ext2_namei(struct ext2 *fs, ext2_ino_t dir, const char *path, ext2_ino_t *ino) MUST_CHECK;

/* Writing. Names are single components: no '/', not "." or "..". */
err_t ext2_write(struct ext2 *fs, ext2_ino_t ino, uint64_t off, const void *buf,
                 size_t len) MUST_CHECK;
err_t ext2_truncate(struct ext2 *fs, ext2_ino_t ino, uint64_t size) MUST_CHECK;
err_t ext2_create(struct ext2 *fs, ext2_ino_t dir, const char *name, size_t len, uint16_t mode,
                  uint32_t uid, uint32_t gid, ext2_ino_t *ino) MUST_CHECK;
err_t ext2_mkdir(struct ext2 *fs, ext2_ino_t dir, const char *name, size_t len, uint16_t mode,
                 uint32_t uid, uint32_t gid, ext2_ino_t *ino) MUST_CHECK;
err_t ext2_symlink(struct ext2 *fs, ext2_ino_t dir, const char *name, size_t len,
                   const char *target, size_t target_len, uint32_t uid, uint32_t gid,
                   ext2_ino_t *ino) MUST_CHECK;
err_t ext2_link(struct ext2 *fs, ext2_ino_t dir, const char *name, size_t len,
                ext2_ino_t ino) MUST_CHECK;
err_t ext2_unlink(struct ext2 *fs, ext2_ino_t dir, const char *name, size_t len) MUST_CHECK;
err_t ext2_rmdir(struct ext2 *fs, ext2_ino_t dir, const char *name, size_t len) MUST_CHECK;
err_t ext2_rename(struct ext2 *fs, ext2_ino_t from_dir, const char *from, size_t from_len,
                  ext2_ino_t to_dir, const char *to, size_t to_len) MUST_CHECK;
err_t ext2_setattr(struct ext2 *fs, ext2_ino_t ino, const struct ext2_attr *attr) MUST_CHECK;
/* The caller closed ino: freed now if its last link went while it was open. */
err_t ext2_release(struct ext2 *fs, ext2_ino_t ino) MUST_CHECK;

#endif
