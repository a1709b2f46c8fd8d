/* cache.c — the block cache: a few block-sized slots of the caller's memory,
 * written back when evicted or synced. A pinned slot is never evicted, so a
 * pointer from ext2_bget stays good until its ext2_bput. */
#include "ext2_int.h"

static err_t dev_io(struct ext2 *fs, uint32_t block, uint8_t *data, bool write)
{
    uint32_t per = fs->g.block_size / EXT2_SECTOR;
    uint64_t sector = (uint64_t)block * per;
    if (sector + per > fs->dev.sectors)
        return ext2_fail(fs, ERR_IO, "block past the end of the device");
    err_t err = write ? fs->dev.write(fs->dev.ctx, sector, per, data)
                      : fs->dev.read(fs->dev.ctx, sector, per, data);
    return err == OK ? OK : ext2_fail(fs, ERR_IO, "the device failed");
}

err_t ext2_dev_read(struct ext2 *fs, uint64_t byte, uint32_t len, void *buf)
{
    if (byte % EXT2_SECTOR || len % EXT2_SECTOR ||
        byte / EXT2_SECTOR + len / EXT2_SECTOR > fs->dev.sectors)
        return ext2_fail(fs, ERR_IO, "read past the end of the device");
    if (fs->dev.read(fs->dev.ctx, byte / EXT2_SECTOR, len / EXT2_SECTOR, buf) != OK)
        return ext2_fail(fs, ERR_IO, "the device failed");
    return OK;
}

static err_t evict(struct ext2 *fs, struct ext2_buf *b)
{
    if (b->valid && b->dirty) {
        err_t err = dev_io(fs, b->block, b->data, true);
        if (err != OK)
            return err;
    }
    b->valid = b->dirty = false;
    return OK;
}

err_t ext2_bget(struct ext2 *fs, uint32_t block, bool read, uint8_t **data)
{
    if (block >= fs->g.blocks)
        return ext2_fail(fs, ERR_IO, "bad block number");
    struct ext2_buf *victim = 0;
    for (uint32_t i = 0; i < fs->nbufs; i++) {
        struct ext2_buf *b = &fs->bufs[i];
        if (b->valid && b->block == block) {
            if (!read) {
                memset(b->data, 0, fs->g.block_size);
                b->dirty = true;
            }
            b->pins++;
            b->last_use = ++fs->use_clock;
            *data = b->data;
            return OK;
        }
        if (b->pins == 0 &&
            (!victim || !b->valid || (victim->valid && b->last_use < victim->last_use)))
            victim = b;
    }
    if (!victim)
        return ext2_fail(fs, ERR_NOMEM, "every cache block is in use");
    err_t err = evict(fs, victim);
    if (err != OK)
        return err;
    if (read) {
        err = dev_io(fs, block, victim->data, false);
        if (err != OK)
            return err;
    } else {
        memset(victim->data, 0, fs->g.block_size);
    }
    victim->block = block;
    victim->valid = true;
    victim->dirty = !read; /* a block made from nothing must reach the disk */
    victim->pins = 1;
    victim->last_use = ++fs->use_clock;
    *data = victim->data;
    return OK;
}

void ext2_bput(struct ext2 *fs, uint8_t *data, bool dirty)
{
    for (uint32_t i = 0; i < fs->nbufs; i++) {
        struct ext2_buf *b = &fs->bufs[i];
        if (b->data == data && b->valid && b->pins > 0) {
            b->pins--;
            b->dirty |= dirty;
            return;
        }
    }
}

err_t ext2_bflush(struct ext2 *fs)
{
    for (uint32_t i = 0; i < fs->nbufs; i++) {
        struct ext2_buf *b = &fs->bufs[i];
        if (b->valid && b->dirty) {
            err_t err = dev_io(fs, b->block, b->data, true);
            if (err != OK)
                return err;
            b->dirty = false;
        }
    }
    return OK;
}
