/* dir.c — directory blocks: walking their records with every length checked
 * (a record never reaches past its block, a name never past its record), and
 * adding, removing and retargeting entries. Hashed indexes are not kept up to
 * date, so a directory we add to loses its index flag and reads as linear. */
#include "ext2_int.h"

static uint32_t rec_from_disk(const struct ext2 *fs, uint16_t raw)
{
    if (fs->g.block_size == 65536 && (raw == 0 || raw == 65535))
        return 65536; /* a record spanning a whole 64 KiB block */
    return raw;
}

static uint16_t rec_to_disk(uint32_t rec) { return rec == 65536 ? 65535 : (uint16_t)rec; }

static err_t entry_at(struct ext2 *fs, const uint8_t *data, uint32_t off, struct ext2_dirhdr *h,
                      uint32_t *rec)
{
    uint32_t bs = fs->g.block_size;
    if (bs - off < sizeof *h)
        return ext2_fail(fs, ERR_IO, "directory entry overruns its block");
    memcpy(h, data + off, sizeof *h);
    *rec = rec_from_disk(fs, h->rec_len);
    if (*rec == 0)
        return ext2_fail(fs, ERR_IO, "directory entry with zero record length");
    if (*rec % 4 || *rec < sizeof *h)
        return ext2_fail(fs, ERR_IO, "directory record length misaligned");
    if (*rec > bs - off)
        return ext2_fail(fs, ERR_IO, "directory record length overruns its block");
    if (sizeof *h + h->name_len > *rec)
        return ext2_fail(fs, ERR_IO, "directory name longer than its record");
    if (h->inode > fs->g.inodes)
        return ext2_fail(fs, ERR_IO, "directory entry names an inode out of range");
    return OK;
}

static void put_entry(uint8_t *data, uint32_t off, ext2_ino_t ino, uint32_t rec, const char *name,
                      size_t len, uint8_t type)
{
    struct ext2_dirhdr h = {ino, rec_to_disk(rec), (uint8_t)len, type};
    memcpy(data + off, &h, sizeof h);
    memcpy(data + off + sizeof h, name, len);
}

static err_t dir_inode(struct ext2 *fs, ext2_ino_t dir, struct ext2_inode *in)
{
    err_t err = ext2_iget(fs, dir, in);
    if (err != OK)
        return err;
    if ((in->mode & EXT2_S_IFMT) != EXT2_S_IFDIR)
        return ext2_fail(fs, ERR_NOTDIR, "not a directory");
    if (in->size % fs->g.block_size)
        return ext2_fail(fs, ERR_IO, "directory size not a multiple of the block size");
    /* Every directory block is a block of its own, so none has more than the
     * file system; this also bounds every scan of a damaged one. */
    if (in->size / fs->g.block_size > fs->g.blocks)
        return ext2_fail(fs, ERR_IO, "directory larger than the file system");
    return OK;
}

/* The directory's block lblk, pinned; a hole in a directory is corruption. */
static err_t dir_block(struct ext2 *fs, struct ext2_inode *in, uint64_t lblk, uint8_t **data)
{
    uint32_t block;
    bool fresh;
    err_t err = ext2_bmap(fs, in, lblk, false, &block, &fresh);
    if (err != OK)
        return err;
    if (block == 0)
        return ext2_fail(fs, ERR_IO, "directory has a hole");
    return ext2_bget(fs, block, true, data);
}

static bool has_filetype(const struct ext2 *fs)
{
    const struct ext2_super *sb = (const struct ext2_super *)fs->super;
    return sb->feature_incompat & EXT2_INCOMPAT_FILETYPE;
}

uint8_t ext2_ftype(const struct ext2 *fs, uint16_t mode)
{
    if (!has_filetype(fs))
        return 0;
    switch (mode & EXT2_S_IFMT) {
    case EXT2_S_IFREG:
        return EXT2_FT_REG;
    case EXT2_S_IFDIR:
        return EXT2_FT_DIR;
    case EXT2_S_IFCHR:
        return EXT2_FT_CHR;
    case EXT2_S_IFBLK:
        return EXT2_FT_BLK;
    case EXT2_S_IFIFO:
        return EXT2_FT_FIFO;
    case EXT2_S_IFSOCK:
        return EXT2_FT_SOCK;
    case EXT2_S_IFLNK:
        return EXT2_FT_LNK;
    default:
        return 0;
    }
}

err_t ext2_readdir(struct ext2 *fs, ext2_ino_t dir, uint64_t *cookie, struct ext2_dirent *out)
{
    struct ext2_inode in;
    err_t err = dir_inode(fs, dir, &in);
    uint32_t bs = fs->g.block_size;
    while (err == OK && *cookie < in.size) {
        uint64_t lblk = *cookie / bs;
        uint8_t *data;
        if ((err = dir_block(fs, &in, lblk, &data)) != OK)
            return err;
        struct ext2_dirhdr h;
        uint32_t rec;
        for (uint32_t off = 0; off < bs; off += rec) {
            if ((err = entry_at(fs, data, off, &h, &rec)) != OK)
                break;
            if (off >= *cookie % bs && h.inode != 0) {
                out->ino = h.inode;
                out->type = has_filetype(fs) ? h.file_type : 0;
                out->name_len = h.name_len;
                memcpy(out->name, data + off + sizeof h, h.name_len);
                out->name[h.name_len] = '\0';
                *cookie = lblk * bs + off + rec;
                ext2_bput(fs, data, false);
                return OK;
            }
        }
        ext2_bput(fs, data, false);
        *cookie = (lblk + 1) * bs;
    }
    return err != OK ? err : ERR_END;
}

/* Where a name was found: its block's data (pinned), the record and the one
 * before it in the same block (or none). */
struct found {
    uint8_t *data;
    uint32_t off, prev, rec;
    struct ext2_dirhdr h;
};

#define NO_PREV 0xffffffffu

static err_t find(struct ext2 *fs, struct ext2_inode *in, const char *name, size_t len,
                  struct found *f)
{
    uint32_t bs = fs->g.block_size;
    for (uint64_t lblk = 0; lblk < in->size / bs; lblk++) {
        err_t err = dir_block(fs, in, lblk, &f->data);
        if (err != OK)
            return err;
        f->prev = NO_PREV;
        for (f->off = 0; f->off < bs; f->prev = f->off, f->off += f->rec) {
            if ((err = entry_at(fs, f->data, f->off, &f->h, &f->rec)) != OK) {
                ext2_bput(fs, f->data, false);
                return err;
            }
            if (f->h.inode != 0 && f->h.name_len == len &&
                memcmp(f->data + f->off + sizeof f->h, name, len) == 0)
                return OK;
        }
        ext2_bput(fs, f->data, false);
    }
    return ext2_fail(fs, ERR_NOENT, "no such name in the directory");
}

err_t ext2_dir_find(struct ext2 *fs, ext2_ino_t dir, const char *name, size_t len, ext2_ino_t *ino,
                    uint8_t *type)
{
    struct ext2_inode in;
    struct found f;
    err_t err = dir_inode(fs, dir, &in);
    if (err == OK)
        err = find(fs, &in, name, len, &f);
    if (err != OK)
        return err;
    *ino = f.h.inode;
    *type = f.h.file_type;
    ext2_bput(fs, f.data, false);
    return OK;
}

/* Directory changes stamp the directory and drop any hash index. */
static err_t touch_dir(struct ext2 *fs, ext2_ino_t dir, struct ext2_inode *in)
{
    in->mtime = in->ctime = fs->now;
    in->flags &= ~(uint32_t)EXT2_INDEX_FL;
    return ext2_iput(fs, dir, in);
}

/* Puts the entry in the first record with room to spare, else in a new block. */
err_t ext2_dir_add(struct ext2 *fs, ext2_ino_t dir, const char *name, size_t len, ext2_ino_t ino,
                   uint16_t mode)
{
    struct ext2_inode in;
    err_t err = dir_inode(fs, dir, &in);
    if (err != OK)
        return err;
    uint32_t bs = fs->g.block_size, need = EXT2_DIR_REC(len);
    uint8_t type = ext2_ftype(fs, mode);
    for (uint64_t lblk = 0; lblk < in.size / bs; lblk++) {
        uint8_t *data;
        if ((err = dir_block(fs, &in, lblk, &data)) != OK)
            return err;
        struct ext2_dirhdr h;
        uint32_t rec;
        for (uint32_t off = 0; off < bs; off += rec) {
            if ((err = entry_at(fs, data, off, &h, &rec)) != OK) {
                ext2_bput(fs, data, false);
                return err;
            }
            uint32_t used = h.inode ? EXT2_DIR_REC(h.name_len) : 0;
            if (rec - used < need)
                continue;
            if (used) {
                h.rec_len = rec_to_disk(used);
                memcpy(data + off, &h, sizeof h);
            }
            put_entry(data, off + used, ino, rec - used, name, len, type);
            ext2_bput(fs, data, true);
            return touch_dir(fs, dir, &in);
        }
        ext2_bput(fs, data, false);
    }
    uint32_t block;
    bool fresh;
    uint8_t *data;
    if (in.size > UINT32_MAX - bs)
        return ext2_fail(fs, ERR_NOSPACE, "directory as large as it can be");
    if ((err = ext2_bmap(fs, &in, in.size / bs, true, &block, &fresh)) == OK &&
        (err = ext2_bget(fs, block, false, &data)) == OK) {
        put_entry(data, 0, ino, bs, name, len, type);
        ext2_bput(fs, data, true);
        in.size += bs;
    }
    err_t err2 = touch_dir(fs, dir, &in);
    return err != OK ? err : err2;
}

err_t ext2_dir_remove(struct ext2 *fs, ext2_ino_t dir, const char *name, size_t len)
{
    struct ext2_inode in;
    struct found f;
    err_t err = dir_inode(fs, dir, &in);
    if (err == OK)
        err = find(fs, &in, name, len, &f);
    if (err != OK)
        return err;
    if (f.prev == NO_PREV) {
        f.h.inode = 0;
        memcpy(f.data + f.off, &f.h, sizeof f.h);
    } else {
        struct ext2_dirhdr p;
        memcpy(&p, f.data + f.prev, sizeof p);
        p.rec_len = rec_to_disk(rec_from_disk(fs, p.rec_len) + f.rec);
        memcpy(f.data + f.prev, &p, sizeof p);
    }
    ext2_bput(fs, f.data, true);
    return touch_dir(fs, dir, &in);
}

err_t ext2_dir_retarget(struct ext2 *fs, ext2_ino_t dir, const char *name, size_t len,
                        ext2_ino_t ino, uint16_t mode)
{
    struct ext2_inode in;
    struct found f;
    err_t err = dir_inode(fs, dir, &in);
    if (err == OK)
        err = find(fs, &in, name, len, &f);
    if (err != OK)
        return err;
    f.h.inode = ino;
    f.h.file_type = ext2_ftype(fs, mode);
    memcpy(f.data + f.off, &f.h, sizeof f.h);
    ext2_bput(fs, f.data, true);
    return touch_dir(fs, dir, &in);
}

err_t ext2_dir_is_empty(struct ext2 *fs, ext2_ino_t dir, bool *empty)
{
    uint64_t cookie = 0;
    struct ext2_dirent e;
    err_t err;
    *empty = true;
    while ((err = ext2_readdir(fs, dir, &cookie, &e)) == OK) {
        bool dot = (e.name_len == 1 && e.name[0] == '.') ||
                   (e.name_len == 2 && e.name[0] == '.' && e.name[1] == '.');
        if (!dot) {
            *empty = false;
            return OK;
        }
    }
    return err == ERR_END ? OK : err;
}
