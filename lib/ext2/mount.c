/* mount.c — checks a superblock and the group descriptors before anything
 * trusts them, and writes the superblock back on sync. Every refusal names its
 * reason; the checks here are what lets the rest index tables without fear. */
#include "ext2_int.h"

#define EXT2_INCOMPAT_SUPPORTED  EXT2_INCOMPAT_FILETYPE
#define EXT2_RO_COMPAT_SUPPORTED (EXT2_RO_COMPAT_SPARSE_SUPER | EXT2_RO_COMPAT_LARGE_FILE)

struct feature {
    uint32_t bit;
    const char *refusal;
};

static const struct feature incompat_names[] = {
    {0x1, "incompatible feature: compression"},
    {0x4, "incompatible feature: journal needs recovery"},
    {0x8, "incompatible feature: journal device"},
    {0x10, "incompatible feature: meta_bg"},
    {0x40, "incompatible feature: extents"},
    {0x80, "incompatible feature: 64bit"},
    {0x100, "incompatible feature: mmp"},
    {0x200, "incompatible feature: flex_bg"},
    {0x400, "incompatible feature: ea_inode"},
    {0x1000, "incompatible feature: dirdata"},
    {0x2000, "incompatible feature: csum_seed"},
    {0x4000, "incompatible feature: largedir"},
    {0x8000, "incompatible feature: inline_data"},
    {0x10000, "incompatible feature: encrypt"},
    {0x20000, "incompatible feature: casefold"},
};

static err_t check_features(struct ext2 *fs, const struct ext2_super *sb, unsigned flags)
{
    uint32_t unknown = sb->feature_incompat & ~(uint32_t)EXT2_INCOMPAT_SUPPORTED;
    if (unknown) {
        for (size_t i = 0; i < sizeof incompat_names / sizeof incompat_names[0]; i++)
            if (unknown & incompat_names[i].bit)
                return ext2_fail(fs, ERR_NOSYS, incompat_names[i].refusal);
        return ext2_fail(fs, ERR_NOSYS, "unknown incompatible feature");
    }
    fs->readonly = flags & EXT2_MOUNT_RDONLY;
    if ((sb->feature_ro_compat & ~(uint32_t)EXT2_RO_COMPAT_SUPPORTED) && !fs->readonly)
        return ext2_fail(fs, ERR_ROFS,
                         "read-only compatible feature not supported: mount read-only");
    return OK;
}

static uint32_t div_up(uint64_t a, uint32_t b) { return (uint32_t)((a + b - 1) / b); }

static err_t check_geometry(struct ext2 *fs, const struct ext2_super *sb)
{
    struct ext2_geom *g = &fs->g;
    if (sb->magic != EXT2_MAGIC)
        return ext2_fail(fs, ERR_BADMAGIC, "bad superblock magic");
    if (sb->rev_level != 1)
        return ext2_fail(fs, ERR_NOSYS, "not revision 1 (dynamic) ext2");
    if (sb->log_block_size > 6)
        return ext2_fail(fs, ERR_IO, "block size out of range");
    g->block_size = 1024u << sb->log_block_size;
    g->blocks = sb->blocks_count;
    g->inodes = sb->inodes_count;
    g->blocks_per_group = sb->blocks_per_group;
    g->inodes_per_group = sb->inodes_per_group;
    g->inode_size = sb->inode_size;
    g->first_ino = sb->first_ino;
    g->first_data_block = sb->first_data_block;
    g->addr_per_block = g->block_size / 4;
    if (g->first_data_block != (g->block_size == 1024 ? 1u : 0u))
        return ext2_fail(fs, ERR_IO, "first data block does not match the block size");
    if (g->blocks <= g->first_data_block + 1)
        return ext2_fail(fs, ERR_IO, "block count too small");
    if ((uint64_t)g->blocks * g->block_size > fs->dev.sectors * EXT2_SECTOR)
        return ext2_fail(fs, ERR_IO, "file system is larger than the device");
    if (g->blocks_per_group == 0 || g->blocks_per_group > 8 * g->block_size)
        return ext2_fail(fs, ERR_IO, "blocks per group out of range");
    if (g->inodes_per_group == 0 || g->inodes_per_group > 8 * g->block_size)
        return ext2_fail(fs, ERR_IO, "inodes per group out of range");
    if (g->inode_size < 128 || g->inode_size > g->block_size ||
        (g->inode_size & (g->inode_size - 1)))
        return ext2_fail(fs, ERR_IO, "inode size out of range");
    g->groups = div_up(g->blocks - g->first_data_block, g->blocks_per_group);
    if (g->inodes == 0 || g->inodes > (uint64_t)g->groups * g->inodes_per_group)
        return ext2_fail(fs, ERR_IO, "inode count does not match the groups");
    if (g->first_ino < EXT2_ROOT_INO + 1 || g->first_ino > g->inodes)
        return ext2_fail(fs, ERR_IO, "first inode out of range");
    if (sb->free_blocks_count > g->blocks || sb->free_inodes_count > g->inodes)
        return ext2_fail(fs, ERR_IO, "free counts exceed the totals");
    g->gdt_blocks = div_up((uint64_t)g->groups * sizeof(struct ext2_gd), g->block_size);
    g->itable_blocks = div_up((uint64_t)g->inodes_per_group * g->inode_size, g->block_size);
    uint16_t reserved;
    memcpy(&reserved, fs->super + EXT2_SB_RESERVED_GDT, sizeof reserved);
    if ((uint64_t)1 + g->gdt_blocks + reserved >= g->blocks_per_group ||
        g->first_data_block + 1 + g->gdt_blocks > g->blocks)
        return ext2_fail(fs, ERR_IO, "group descriptors do not fit");
    uint64_t apb = g->addr_per_block;
    g->max_file_blocks = EXT2_NDIR + apb + apb * apb + apb * apb * apb;
    return OK;
}

/* Inside the device and past the primary superblock and descriptors, which
 * sync rewrites. */
static bool inside(const struct ext2 *fs, uint32_t block, uint32_t count)
{
    return block > fs->g.first_data_block + fs->g.gdt_blocks && block < fs->g.blocks &&
           count <= fs->g.blocks - block;
}

static err_t check_groups(struct ext2 *fs)
{
    for (uint32_t i = 0; i < fs->g.groups; i++) {
        struct ext2_gd gd;
        err_t err = ext2_gd_get(fs, i, &gd);
        if (err != OK)
            return err;
        if (!inside(fs, gd.block_bitmap, 1) || !inside(fs, gd.inode_bitmap, 1) ||
            !inside(fs, gd.inode_table, fs->g.itable_blocks))
            return ext2_fail(fs, ERR_IO, "group descriptor points outside the device");
    }
    return OK;
}

err_t ext2_mount(struct ext2 *fs, const struct ext2_dev *dev, void *cache, size_t cache_size,
                 unsigned flags)
{
    memset(fs, 0, sizeof *fs);
    fs->dev = *dev;
    err_t err = ext2_dev_read(fs, 1024, 1024, fs->super);
    if (err != OK)
        return err;
    struct ext2_super sb;
    memcpy(&sb, fs->super, sizeof sb);
    err = check_geometry(fs, &sb);
    if (err == OK)
        err = check_features(fs, &sb, flags);
    if (err != OK)
        return err;
    /* The slots' headers first, then their blocks, 64-byte aligned. */
    size_t n = cache_size > 64 ? (cache_size - 64) / (fs->g.block_size + sizeof *fs->bufs) : 0;
    if (n < EXT2_CACHE_MIN || n > UINT32_MAX)
        return ext2_fail(fs, ERR_NOMEM, "cache memory holds too few blocks");
    fs->nbufs = (uint32_t)n;
    fs->bufs = cache;
    uint8_t *blocks = (uint8_t *)cache + ((n * sizeof *fs->bufs + 63) & ~(size_t)63);
    for (uint32_t i = 0; i < fs->nbufs; i++)
        fs->bufs[i] = (struct ext2_buf){.data = blocks + (size_t)i * fs->g.block_size};
    return check_groups(fs);
}

err_t ext2_sync(struct ext2 *fs)
{
    if (fs->readonly)
        return OK;
    /* The superblock sits at byte 1024: block 1 of 1 KiB blocks, else inside block 0. */
    uint32_t block = fs->g.block_size == 1024 ? 1 : 0;
    uint32_t off = fs->g.block_size == 1024 ? 0 : 1024;
    uint8_t *data;
    err_t err = ext2_bget(fs, block, true, &data);
    if (err != OK)
        return err;
    memcpy(data + off, fs->super, sizeof fs->super);
    ext2_bput(fs, data, true);
    return ext2_bflush(fs);
}
