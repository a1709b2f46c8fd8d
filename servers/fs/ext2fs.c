/* ext2fs.c — an ext2 file system (lib/ext2) on a block driver ("disk0",
 * ...), under the VFS. Sectors move through a frame granted to the driver,
 * one request at a time: FS waits for each, so a slow disk delays every
 * client (a queue of requests in flight is the next step). */
#include "fs.h"

#include <chan.h>
#include <grant.h>
#include <proto/blk.h>
#include <proto/ns.h>
#include <proto_chan.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys.h>

PROTO_CHAN_CALLS(BLK_MESSAGES)

#define DISK_GRANT_BYTES (64 * 1024)
/* Each mounted disk's block cache: programs are loaded from the root disk,
 * so it holds the blocks of the ones in use (1,024 blocks of 4 KiB). */
#define CACHE_BYTES (4u << 20)

/* How long FS waits for a restarted disk driver to serve again. */
#define REDIAL_NS 10000000000ull

struct disk {
    char name[NS_NAME_MAX];
    struct chan chan;
    struct grant grant;
    struct blk_info info;
    uint32_t per; /* sectors one request moves */
    void *cache;
    struct ext2 fs;
};

/* The disk's driver ended, and RS starts it again under the same name: a
 * channel and a grant to the new one. Until it has registered, the name
 * is missing or still the dead driver's. */
static err_t reattach(struct disk *d)
{
    grant_drop(&d->grant);
    chan_drop(&d->chan);
    uint64_t deadline = sys_now_ns() + REDIAL_NS;
    err_t err;
    do {
        err = chan_connect(d->name, &d->chan, deadline - sys_now_ns());
        if (err == OK && (err = grant_offer(&d->chan, DISK_GRANT_BYTES, &d->grant)) != OK)
            chan_drop(&d->chan);
        if (err == ERR_DEAD)
            sys_sleep_ns(10000000);
    } while (err == ERR_DEAD && sys_now_ns() < deadline);
    if (err == OK)
        sys_printf("fs: %s: its driver was started again; FS goes on with the new one\n", d->name);
    else
        sys_printf("fs: %s: its driver ended and none serves the disk now: %s\n", d->name,
                   err_str(err));
    return err;
}

static err_t disk_move(struct disk *d, uint16_t type, uint64_t sector, uint32_t count, void *buf)
{
    bool retried = false;
    while (count > 0) {
        uint32_t n = count < d->per ? count : d->per;
        struct blk_io io = {.lba = sector, .offset = 0, .bytes = n * EXT2_SECTOR};
        struct blk_done done;
        if (d->chan.cap == 0 && reattach(d) != OK)
            return ERR_IO;
        if (type == BLK_WRITE)
            memcpy((void *)d->grant.va, buf, io.bytes);
        err_t err =
            type == BLK_WRITE ? blk_write(&d->chan, &io, &done) : blk_read(&d->chan, &io, &done);
        if (err == ERR_DEAD && !retried) {
            /* A block read or written again is the same block: no harm. */
            retried = true;
            if (reattach(d) == OK)
                continue;
            return ERR_IO;
        }
        if (err != OK)
            return err == ERR_RANGE || err == ERR_INVAL ? err : ERR_IO;
        if (type == BLK_READ)
            memcpy(buf, (const void *)d->grant.va, io.bytes);
        sector += n;
        count -= n;
        buf = (uint8_t *)buf + io.bytes;
    }
    return OK;
}

static err_t disk_read(void *ctx, uint64_t sector, uint32_t count, void *buf)
{
    return disk_move(ctx, BLK_READ, sector, count, buf);
}

static err_t disk_write(void *ctx, uint64_t sector, uint32_t count, const void *buf)
{
    return disk_move(ctx, BLK_WRITE, sector, count, (void *)buf);
}

static struct ext2 *fs_of(void *ctx)
{
    struct ext2 *fs = &((struct disk *)ctx)->fs;
    fs->now = fs_now();
    return fs;
}

static err_t e_stat(void *c, uint32_t ino, struct ext2_stat *st)
{
    return ext2_stat(fs_of(c), ino, st);
}

static err_t e_read(void *c, uint32_t ino, uint64_t off, void *buf, size_t len, size_t *got)
{
    return ext2_read(fs_of(c), ino, off, buf, len, got);
}

static err_t e_write(void *c, uint32_t ino, uint64_t off, const void *buf, size_t len)
{
    return ext2_write(fs_of(c), ino, off, buf, len);
}

static err_t e_truncate(void *c, uint32_t ino, uint64_t size)
{
    return ext2_truncate(fs_of(c), ino, size);
}

static err_t e_readlink(void *c, uint32_t ino, char *buf, size_t cap, size_t *len)
{
    return ext2_readlink(fs_of(c), ino, buf, cap, len);
}

static err_t e_readdir(void *c, uint32_t dir, uint64_t *cookie, struct ext2_dirent *out)
{
    return ext2_readdir(fs_of(c), dir, cookie, out);
}

static err_t e_lookup(void *c, uint32_t dir, const char *name, size_t len, uint32_t *ino)
{
    return ext2_lookup(fs_of(c), dir, name, len, ino);
}

static err_t e_create(void *c, uint32_t dir, const char *name, size_t len, uint16_t mode,
                      uint32_t *ino)
{
    return ext2_create(fs_of(c), dir, name, len, mode, 0, 0, ino);
}

static err_t e_mkdir(void *c, uint32_t dir, const char *name, size_t len, uint16_t mode,
                     uint32_t *ino)
{
    return ext2_mkdir(fs_of(c), dir, name, len, mode, 0, 0, ino);
}

static err_t e_symlink(void *c, uint32_t dir, const char *name, size_t len, const char *target,
                       size_t target_len, uint32_t *ino)
{
    return ext2_symlink(fs_of(c), dir, name, len, target, target_len, 0, 0, ino);
}

static err_t e_link(void *c, uint32_t dir, const char *name, size_t len, uint32_t ino)
{
    return ext2_link(fs_of(c), dir, name, len, ino);
}

static err_t e_unlink(void *c, uint32_t dir, const char *name, size_t len)
{
    return ext2_unlink(fs_of(c), dir, name, len);
}

static err_t e_rmdir(void *c, uint32_t dir, const char *name, size_t len)
{
    return ext2_rmdir(fs_of(c), dir, name, len);
}

static err_t e_rename(void *c, uint32_t from_dir, const char *from, size_t from_len,
                      uint32_t to_dir, const char *to, size_t to_len)
{
    return ext2_rename(fs_of(c), from_dir, from, from_len, to_dir, to, to_len);
}

static err_t e_setattr(void *c, uint32_t ino, const struct ext2_attr *attr)
{
    return ext2_setattr(fs_of(c), ino, attr);
}

/* Every changed block, then the disk's own cache. */
static err_t e_sync(void *c)
{
    struct disk *d = c;
    err_t err = ext2_sync(fs_of(c));
    struct blk_done done;
    if (err == OK && blk_flush(&d->chan, &(struct blk_flush){0}, &done) != OK)
        err = ERR_IO;
    return err;
}

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* The counts as the superblock keeps them (lib/ext2 keeps them current). */
static err_t e_statfs(void *c, struct fs_statfs *out)
{
    const struct ext2 *fs = &((struct disk *)c)->fs;
    *out = (struct fs_statfs){
        .block_size = fs->g.block_size,
        .blocks = fs->g.blocks - fs->g.first_data_block,
        .blocks_free = le32(fs->super + 12),
        .files = fs->g.inodes,
        .files_free = le32(fs->super + 16),
        .name_max = EXT2_NAME_MAX,
        .flags = fs->readonly ? FS_STATFS_RDONLY : 0,
    };
    return OK;
}

static err_t e_release(void *c, uint32_t ino) { return ext2_release(fs_of(c), ino); }

static bool e_busy(void *c, ext2_ino_t ino) { return fs_busy(c, ino); }

static err_t e_unmount(void *c)
{
    struct disk *d = c;
    err_t err = e_sync(c);
    if (err != OK)
        return err; /* the disk keeps what it has; FS keeps the mount */
    free(d->cache);
    grant_drop(&d->grant);
    chan_drop(&d->chan);
    free(d);
    return OK;
}

static const struct vfs_ops ext2_vfs = {
    .stat = e_stat,
    .read = e_read,
    .write = e_write,
    .truncate = e_truncate,
    .readlink = e_readlink,
    .readdir = e_readdir,
    .lookup = e_lookup,
    .create = e_create,
    .mkdir = e_mkdir,
    .symlink = e_symlink,
    .link = e_link,
    .unlink = e_unlink,
    .rmdir = e_rmdir,
    .rename = e_rename,
    .setattr = e_setattr,
    .sync = e_sync,
    .statfs = e_statfs,
    .release = e_release,
    .unmount = e_unmount,
};

err_t ext2fs_attach(const char *disk, uint64_t deadline_ns, const char *at)
{
    struct disk *d = calloc(1, sizeof *d);
    void *cache = NULL;
    if (d == NULL)
        return ERR_NOMEM;
    strncpy(d->name, disk, sizeof d->name - 1);
    uint64_t now = sys_now_ns();
    err_t err = chan_connect(disk, &d->chan, deadline_ns > now ? deadline_ns - now : 0);
    if (err != OK)
        goto fail;
    if ((err = blk_info(&d->chan, &(struct proto_none){}, &d->info)) != OK)
        goto fail_chan;
    if (d->info.sector_bytes != EXT2_SECTOR || d->info.max_bytes < EXT2_SECTOR) {
        err = ERR_IO;
        goto fail_chan;
    }
    uint32_t most = d->info.max_bytes < DISK_GRANT_BYTES ? d->info.max_bytes : DISK_GRANT_BYTES;
    d->per = most / EXT2_SECTOR;
    if ((err = grant_offer(&d->chan, DISK_GRANT_BYTES, &d->grant)) != OK)
        goto fail_chan;
    struct ext2_dev dev = {
        .ctx = d, .read = disk_read, .write = disk_write, .sectors = d->info.sectors};
    size_t cache_bytes = CACHE_BYTES;
    if ((cache = malloc(cache_bytes)) == NULL) {
        err = ERR_NOMEM;
        goto fail_grant;
    }
    (void)fs_of(d);
    if ((err = ext2_mount(&d->fs, &dev, cache, cache_bytes, 0)) != OK) {
        sys_printf("fs: %s: not mounted: %s\n", disk, d->fs.reason ? d->fs.reason : err_str(err));
        goto fail_cache;
    }
    d->fs.busy = e_busy;
    d->fs.busy_ctx = d;
    d->cache = cache;
    if ((err = vfs_mount(at, &ext2_vfs, d, EXT2_ROOT_INO, disk)) != OK)
        goto fail_cache;
    sys_printf("fs: %s (ext2, %u blocks of %u bytes) mounted at %s\n", disk, d->fs.g.blocks,
               d->fs.g.block_size, at != NULL ? at : "/");
    return OK;
fail_cache:
    free(cache);
fail_grant:
    grant_drop(&d->grant);
fail_chan:
    chan_drop(&d->chan);
fail:
    free(d);
    return err;
}
