/* inode.c — inodes by number: where each lives in its group's table, reading
 * and writing the first 128 bytes (the rest of a larger inode stays as it is),
 * stat and the attributes a caller may set. */
#include "ext2_int.h"

static err_t locate(struct ext2 *fs, ext2_ino_t ino, uint32_t *block, uint32_t *off)
{
    if (ino == 0 || ino > fs->g.inodes)
        return ext2_fail(fs, ERR_IO, "inode number out of range");
    uint32_t group = (ino - 1) / fs->g.inodes_per_group;
    uint32_t index = (ino - 1) % fs->g.inodes_per_group;
    struct ext2_gd gd;
    err_t err = ext2_gd_get(fs, group, &gd);
    if (err != OK)
        return err;
    uint64_t byte = (uint64_t)index * fs->g.inode_size;
    *block = gd.inode_table + (uint32_t)(byte / fs->g.block_size);
    *off = (uint32_t)(byte % fs->g.block_size);
    return OK;
}

err_t ext2_iget(struct ext2 *fs, ext2_ino_t ino, struct ext2_inode *in)
{
    uint32_t block, off;
    uint8_t *data;
    err_t err = locate(fs, ino, &block, &off);
    if (err == OK)
        err = ext2_bget(fs, block, true, &data);
    if (err != OK)
        return err;
    memcpy(in, data + off, sizeof *in);
    ext2_bput(fs, data, false);
    return OK;
}

err_t ext2_iput(struct ext2 *fs, ext2_ino_t ino, const struct ext2_inode *in)
{
    uint32_t block, off;
    uint8_t *data;
    err_t err = locate(fs, ino, &block, &off);
    if (err == OK)
        err = ext2_bget(fs, block, true, &data);
    if (err != OK)
        return err;
    memcpy(data + off, in, sizeof *in);
    ext2_bput(fs, data, true);
    return OK;
}

/* Only regular files keep the high 32 bits of their size (large_file). */
uint64_t ext2_isize(const struct ext2_inode *in)
{
    if ((in->mode & EXT2_S_IFMT) == EXT2_S_IFREG)
        return in->size | (uint64_t)in->size_high << 32;
    return in->size;
}

void ext2_set_isize(struct ext2 *fs, struct ext2_inode *in, uint64_t size)
{
    in->size = (uint32_t)size;
    if ((in->mode & EXT2_S_IFMT) != EXT2_S_IFREG)
        return;
    in->size_high = (uint32_t)(size >> 32);
    if (size > 0x7fffffff)
        ext2_sb(fs)->feature_ro_compat |= EXT2_RO_COMPAT_LARGE_FILE;
}

/* A symlink whose target fits in i_block keeps it there (the rule e2fsck uses). */
bool ext2_is_fast_link(const struct ext2_inode *in)
{
    return (in->mode & EXT2_S_IFMT) == EXT2_S_IFLNK && in->size < EXT2_FAST_LINK_MAX;
}

bool ext2_has_block_map(const struct ext2_inode *in)
{
    switch (in->mode & EXT2_S_IFMT) {
    case EXT2_S_IFREG:
    case EXT2_S_IFDIR:
        return true;
    case EXT2_S_IFLNK:
        return !ext2_is_fast_link(in);
    default:
        return false;
    }
}

err_t ext2_stat(struct ext2 *fs, ext2_ino_t ino, struct ext2_stat *st)
{
    struct ext2_inode in;
    err_t err = ext2_iget(fs, ino, &in);
    if (err != OK)
        return err;
    st->ino = ino;
    st->mode = in.mode;
    st->links = in.links_count;
    st->uid = in.uid | (uint32_t)in.uid_high << 16;
    st->gid = in.gid | (uint32_t)in.gid_high << 16;
    st->size = ext2_isize(&in);
    st->blocks = in.blocks;
    st->atime = in.atime;
    st->mtime = in.mtime;
    st->ctime = in.ctime;
    return OK;
}

err_t ext2_setattr(struct ext2 *fs, ext2_ino_t ino, const struct ext2_attr *attr)
{
    if (fs->readonly)
        return ext2_fail(fs, ERR_ROFS, "mounted read-only");
    struct ext2_inode in;
    err_t err = ext2_iget(fs, ino, &in);
    if (err != OK)
        return err;
    if (attr->mask & EXT2_SET_MODE)
        in.mode = (uint16_t)((in.mode & EXT2_S_IFMT) | (attr->mode & 07777));
    if (attr->mask & EXT2_SET_UID) {
        in.uid = (uint16_t)attr->uid;
        in.uid_high = (uint16_t)(attr->uid >> 16);
    }
    if (attr->mask & EXT2_SET_GID) {
        in.gid = (uint16_t)attr->gid;
        in.gid_high = (uint16_t)(attr->gid >> 16);
    }
    if (attr->mask & EXT2_SET_ATIME)
        in.atime = attr->atime;
    if (attr->mask & EXT2_SET_MTIME)
        in.mtime = attr->mtime;
    in.ctime = fs->now;
    return ext2_iput(fs, ino, &in);
}
