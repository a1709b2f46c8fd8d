/* group.c — block groups: their descriptors, where their metadata lies, and the
 * test that keeps a damaged block pointer from landing on metadata. */
#include "ext2_int.h"

static uint32_t gd_per_block(const struct ext2 *fs)
{
    return fs->g.block_size / sizeof(struct ext2_gd);
}

static err_t gd_locate(struct ext2 *fs, uint32_t group, uint32_t *block, uint32_t *off)
{
    if (group >= fs->g.groups)
        return ext2_fail(fs, ERR_IO, "group number out of range");
    *block = fs->g.first_data_block + 1 + group / gd_per_block(fs);
    *off = (group % gd_per_block(fs)) * sizeof(struct ext2_gd);
    return OK;
}

err_t ext2_gd_get(struct ext2 *fs, uint32_t group, struct ext2_gd *gd)
{
    uint32_t block, off;
    uint8_t *data;
    err_t err = gd_locate(fs, group, &block, &off);
    if (err == OK)
        err = ext2_bget(fs, block, true, &data);
    if (err != OK)
        return err;
    memcpy(gd, data + off, sizeof *gd);
    ext2_bput(fs, data, false);
    return OK;
}

err_t ext2_gd_put(struct ext2 *fs, uint32_t group, const struct ext2_gd *gd)
{
    uint32_t block, off;
    uint8_t *data;
    err_t err = gd_locate(fs, group, &block, &off);
    if (err == OK)
        err = ext2_bget(fs, block, true, &data);
    if (err != OK)
        return err;
    memcpy(data + off, gd, sizeof *gd);
    ext2_bput(fs, data, true);
    return OK;
}

static bool is_power_of(uint32_t n, uint32_t base)
{
    while (n > 1 && n % base == 0)
        n /= base;
    return n == 1;
}

/* With sparse_super only groups 0, 1 and powers of 3, 5 and 7 keep a backup. */
bool ext2_group_has_super(const struct ext2 *fs, uint32_t group)
{
    const struct ext2_super *sb = (const struct ext2_super *)fs->super;
    if (group <= 1 || !(sb->feature_ro_compat & EXT2_RO_COMPAT_SPARSE_SUPER))
        return true;
    return is_power_of(group, 3) || is_power_of(group, 5) || is_power_of(group, 7);
}

err_t ext2_check_data_block(struct ext2 *fs, uint32_t block)
{
    if (block < fs->g.first_data_block || block >= fs->g.blocks)
        return ext2_fail(fs, ERR_IO, "bad block number");
    uint32_t group = (block - fs->g.first_data_block) / fs->g.blocks_per_group;
    uint32_t start = fs->g.first_data_block + group * fs->g.blocks_per_group;
    if (ext2_group_has_super(fs, group)) {
        /* superblock, descriptors and the descriptor blocks reserved for growth */
        uint16_t reserved;
        memcpy(&reserved, fs->super + EXT2_SB_RESERVED_GDT, sizeof reserved);
        if (block - start < 1 + fs->g.gdt_blocks + reserved)
            return ext2_fail(fs, ERR_IO, "bad block number: in a superblock or descriptors");
    }
    struct ext2_gd gd;
    err_t err = ext2_gd_get(fs, group, &gd);
    if (err != OK)
        return err;
    if (block == gd.block_bitmap || block == gd.inode_bitmap ||
        (block >= gd.inode_table && block - gd.inode_table < fs->g.itable_blocks))
        return ext2_fail(fs, ERR_IO, "bad block number: in a bitmap or inode table");
    return OK;
}
