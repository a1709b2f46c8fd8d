/* alloc.c — blocks and inodes through the group bitmaps. Every change keeps
 * the bitmap, the group's free counts and the superblock's totals in step, as
 * e2fsck checks them; a bitmap that contradicts the layout is corruption. */
#include "ext2_int.h"

static bool bit_get(const uint8_t *map, uint32_t i) { return map[i / 8] >> (i % 8) & 1; }

static void bit_flip(uint8_t *map, uint32_t i) { map[i / 8] ^= (uint8_t)(1u << (i % 8)); }

/* The first clear bit in [from, n), then in [0, from); n when all are set. */
static uint32_t find_clear(const uint8_t *map, uint32_t n, uint32_t from)
{
    for (uint32_t k = 0; k < n; k++) {
        uint32_t i = (from + k) % n;
        if (map[i / 8] == 0xff && i % 8 == 0 && i + 8 <= n) {
            k += 7;
            continue;
        }
        if (!bit_get(map, i))
            return i;
    }
    return n;
}

static uint32_t blocks_in_group(const struct ext2 *fs, uint32_t group)
{
    uint32_t start = fs->g.first_data_block + group * fs->g.blocks_per_group;
    uint32_t left = fs->g.blocks - start;
    return left < fs->g.blocks_per_group ? left : fs->g.blocks_per_group;
}

static err_t writable(struct ext2 *fs)
{
    return fs->readonly ? ext2_fail(fs, ERR_ROFS, "mounted read-only") : OK;
}

err_t ext2_alloc_block(struct ext2 *fs, uint32_t goal, uint32_t *block)
{
    err_t err = writable(fs);
    if (err != OK)
        return err;
    if (goal < fs->g.first_data_block || goal >= fs->g.blocks)
        goal = fs->g.first_data_block;
    uint32_t first = (goal - fs->g.first_data_block) / fs->g.blocks_per_group;
    for (uint32_t k = 0; k < fs->g.groups; k++) {
        uint32_t group = (first + k) % fs->g.groups;
        struct ext2_gd gd;
        uint8_t *map;
        if ((err = ext2_gd_get(fs, group, &gd)) != OK)
            return err;
        if (gd.free_blocks_count == 0)
            continue;
        if ((err = ext2_bget(fs, gd.block_bitmap, true, &map)) != OK)
            return err;
        uint32_t start = fs->g.first_data_block + group * fs->g.blocks_per_group;
        uint32_t n = blocks_in_group(fs, group);
        uint32_t i = find_clear(map, n, k == 0 ? goal - start : 0);
        if (i == n) {
            ext2_bput(fs, map, false);
            return ext2_fail(fs, ERR_IO, "group free block count disagrees with its bitmap");
        }
        if ((err = ext2_check_data_block(fs, start + i)) != OK) {
            ext2_bput(fs, map, false);
            return ext2_fail(fs, ERR_IO, "block bitmap marks metadata free");
        }
        bit_flip(map, i);
        ext2_bput(fs, map, true);
        gd.free_blocks_count--;
        if ((err = ext2_gd_put(fs, group, &gd)) != OK)
            return err;
        if (ext2_sb(fs)->free_blocks_count > 0)
            ext2_sb(fs)->free_blocks_count--;
        *block = start + i;
        return OK;
    }
    return ext2_fail(fs, ERR_NOSPACE, "no free blocks");
}

/* Clears bit i of the bitmap in block bitmap; a bit already clear is a
 * corrupt file system (already says which), and nothing changes. */
static err_t bitmap_clear(struct ext2 *fs, uint32_t bitmap, uint32_t i, const char *already)
{
    uint8_t *map;
    err_t err = ext2_bget(fs, bitmap, true, &map);
    if (err != OK)
        return err;
    if (!bit_get(map, i)) {
        ext2_bput(fs, map, false);
        return ext2_fail(fs, ERR_IO, already);
    }
    bit_flip(map, i);
    ext2_bput(fs, map, true);
    return OK;
}

err_t ext2_free_block(struct ext2 *fs, uint32_t block)
{
    err_t err = writable(fs);
    if (err == OK)
        err = ext2_check_data_block(fs, block);
    if (err != OK)
        return err;
    uint32_t group = (block - fs->g.first_data_block) / fs->g.blocks_per_group;
    uint32_t i = (block - fs->g.first_data_block) % fs->g.blocks_per_group;
    struct ext2_gd gd;
    if ((err = ext2_gd_get(fs, group, &gd)) != OK)
        return err;
    if ((err = bitmap_clear(fs, gd.block_bitmap, i, "freeing a block that is already free")) != OK)
        return err;
    gd.free_blocks_count++;
    ext2_sb(fs)->free_blocks_count++;
    return ext2_gd_put(fs, group, &gd);
}

/* A new inode starts as zeros; a large inode's extra part says how much of it
 * is in use, as mke2fs writes it. */
static err_t clear_inode(struct ext2 *fs, ext2_ino_t ino, const struct ext2_gd *gd)
{
    uint64_t byte = (uint64_t)((ino - 1) % fs->g.inodes_per_group) * fs->g.inode_size;
    uint8_t *data;
    err_t err = ext2_bget(fs, gd->inode_table + (uint32_t)(byte / fs->g.block_size), true, &data);
    if (err != OK)
        return err;
    uint8_t *in = data + byte % fs->g.block_size;
    memset(in, 0, fs->g.inode_size);
    if (fs->g.inode_size >= 160) {
        uint16_t extra = 32;
        memcpy(in + 128, &extra, sizeof extra);
    }
    ext2_bput(fs, data, true);
    return OK;
}

err_t ext2_alloc_inode(struct ext2 *fs, ext2_ino_t near, bool dir, ext2_ino_t *ino)
{
    err_t err = writable(fs);
    if (err != OK)
        return err;
    uint32_t ipg = fs->g.inodes_per_group;
    uint32_t first = near >= 1 && near <= fs->g.inodes ? (near - 1) / ipg : 0;
    for (uint32_t k = 0; k < fs->g.groups; k++) {
        uint32_t group = (first + k) % fs->g.groups;
        struct ext2_gd gd;
        uint8_t *map;
        if ((err = ext2_gd_get(fs, group, &gd)) != OK)
            return err;
        if (gd.free_inodes_count == 0)
            continue;
        if ((err = ext2_bget(fs, gd.inode_bitmap, true, &map)) != OK)
            return err;
        uint32_t i = find_clear(map, ipg, 0);
        /* reserved inodes (below first_ino) are never handed out */
        while (i < ipg && (group * ipg + i + 1 < fs->g.first_ino || bit_get(map, i)))
            i++;
        if (i == ipg || group * ipg + i + 1 > fs->g.inodes) {
            ext2_bput(fs, map, false);
            continue;
        }
        bit_flip(map, i);
        ext2_bput(fs, map, true);
        gd.free_inodes_count--;
        if (dir)
            gd.used_dirs_count++;
        if ((err = ext2_gd_put(fs, group, &gd)) != OK)
            return err;
        if (ext2_sb(fs)->free_inodes_count > 0)
            ext2_sb(fs)->free_inodes_count--;
        *ino = group * ipg + i + 1;
        return clear_inode(fs, *ino, &gd);
    }
    return ext2_fail(fs, ERR_NOSPACE, "no free inodes");
}

err_t ext2_free_inode(struct ext2 *fs, ext2_ino_t ino, bool dir)
{
    err_t err = writable(fs);
    if (err != OK)
        return err;
    if (ino < fs->g.first_ino || ino > fs->g.inodes)
        return ext2_fail(fs, ERR_IO, "freeing a reserved or out of range inode");
    uint32_t group = (ino - 1) / fs->g.inodes_per_group;
    uint32_t i = (ino - 1) % fs->g.inodes_per_group;
    struct ext2_gd gd;
    if ((err = ext2_gd_get(fs, group, &gd)) != OK)
        return err;
    if ((err = bitmap_clear(fs, gd.inode_bitmap, i, "freeing an inode that is already free")) != OK)
        return err;
    gd.free_inodes_count++;
    if (dir && gd.used_dirs_count > 0)
        gd.used_dirs_count--;
    ext2_sb(fs)->free_inodes_count++;
    return ext2_gd_put(fs, group, &gd);
}
