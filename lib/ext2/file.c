/* file.c — file contents: read (holes read as zeros), write (allocating data
 * and indirect blocks only where written, so untouched ranges stay holes),
 * truncate, and symbolic link targets. */
#include "ext2_int.h"

static err_t check_size(struct ext2 *fs, const struct ext2_inode *in)
{
    uint64_t size = ext2_isize(in);
    if ((size + fs->g.block_size - 1) / fs->g.block_size > fs->g.max_file_blocks)
        return ext2_fail(fs, ERR_IO, "file size beyond what the block map addresses");
    return OK;
}

err_t ext2_read(struct ext2 *fs, ext2_ino_t ino, uint64_t off, void *buf, size_t len, size_t *got)
{
    struct ext2_inode in;
    err_t err = ext2_iget(fs, ino, &in);
    *got = 0;
    if (err != OK)
        return err;
    if ((in.mode & EXT2_S_IFMT) != EXT2_S_IFREG && (in.mode & EXT2_S_IFMT) != EXT2_S_IFDIR)
        return ext2_fail(fs, ERR_INVAL, "only files and directories have contents to read");
    if ((err = check_size(fs, &in)) != OK)
        return err;
    uint64_t size = ext2_isize(&in);
    if (off >= size)
        return OK;
    if (len > size - off)
        len = (size_t)(size - off);
    uint32_t bs = fs->g.block_size;
    uint8_t *out = buf;
    while (*got < len) {
        uint64_t pos = off + *got;
        uint32_t boff = (uint32_t)(pos % bs);
        size_t chunk = len - *got < bs - boff ? len - *got : bs - boff;
        uint32_t block;
        bool fresh;
        if ((err = ext2_bmap(fs, &in, pos / bs, false, &block, &fresh)) != OK)
            return err;
        if (block == 0) {
            memset(out + *got, 0, chunk);
        } else {
            uint8_t *data;
            if ((err = ext2_bget(fs, block, true, &data)) != OK)
                return err;
            memcpy(out + *got, data + boff, chunk);
            ext2_bput(fs, data, false);
        }
        *got += chunk;
    }
    return OK;
}

static err_t writable_file(struct ext2 *fs, const struct ext2_inode *in)
{
    if (fs->readonly)
        return ext2_fail(fs, ERR_ROFS, "mounted read-only");
    if ((in->mode & EXT2_S_IFMT) == EXT2_S_IFDIR)
        return ext2_fail(fs, ERR_ISDIR, "a directory's contents change through its entries");
    if ((in->mode & EXT2_S_IFMT) != EXT2_S_IFREG)
        return ext2_fail(fs, ERR_INVAL, "only regular files are written this way");
    return OK;
}

err_t ext2_write(struct ext2 *fs, ext2_ino_t ino, uint64_t off, const void *buf, size_t len)
{
    struct ext2_inode in;
    err_t err = ext2_iget(fs, ino, &in);
    if (err == OK)
        err = writable_file(fs, &in);
    if (err != OK)
        return err;
    uint32_t bs = fs->g.block_size;
    if (off + len < off || (off + len + bs - 1) / bs > fs->g.max_file_blocks)
        return ext2_fail(fs, ERR_TOOBIG, "write beyond the largest file");
    const uint8_t *src = buf;
    size_t done = 0;
    while (done < len && err == OK) {
        uint64_t pos = off + done;
        uint32_t boff = (uint32_t)(pos % bs);
        size_t chunk = len - done < bs - boff ? len - done : bs - boff;
        uint32_t block;
        bool fresh;
        uint8_t *data;
        if ((err = ext2_bmap(fs, &in, pos / bs, true, &block, &fresh)) != OK)
            break;
        if ((err = ext2_bget(fs, block, !fresh && chunk < bs, &data)) != OK)
            break;
        memcpy(data + boff, src + done, chunk);
        ext2_bput(fs, data, true);
        done += chunk;
    }
    /* What was allocated stays recorded, even when a later block failed. A
     * write of nothing leaves the size, wherever it was aimed (POSIX). */
    if (done > 0 && off + done > ext2_isize(&in))
        ext2_set_isize(fs, &in, off + done);
    if (done > 0)
        in.mtime = in.ctime = fs->now;
    err_t err2 = ext2_iput(fs, ino, &in);
    return err != OK ? err : err2;
}

/* Bytes past the new end of a partial last block become zeros, so that a later
 * extension reads zeros there. */
static err_t zero_tail(struct ext2 *fs, struct ext2_inode *in, uint64_t size)
{
    uint32_t bs = fs->g.block_size, block;
    bool fresh;
    if (size % bs == 0)
        return OK;
    err_t err = ext2_bmap(fs, in, size / bs, false, &block, &fresh);
    if (err != OK || block == 0)
        return err;
    uint8_t *data;
    if ((err = ext2_bget(fs, block, true, &data)) != OK)
        return err;
    memset(data + size % bs, 0, bs - size % bs);
    ext2_bput(fs, data, true);
    return OK;
}

err_t ext2_truncate(struct ext2 *fs, ext2_ino_t ino, uint64_t size)
{
    struct ext2_inode in;
    err_t err = ext2_iget(fs, ino, &in);
    if (err == OK)
        err = writable_file(fs, &in);
    if (err != OK)
        return err;
    uint32_t bs = fs->g.block_size;
    if ((size + bs - 1) / bs > fs->g.max_file_blocks)
        return ext2_fail(fs, ERR_TOOBIG, "size beyond the largest file");
    if (size < ext2_isize(&in)) {
        err = ext2_free_from(fs, &in, (size + bs - 1) / bs);
        if (err == OK)
            err = zero_tail(fs, &in, size);
    }
    if (err == OK)
        ext2_set_isize(fs, &in, size);
    in.mtime = in.ctime = fs->now;
    err_t err2 = ext2_iput(fs, ino, &in);
    return err != OK ? err : err2;
}

err_t ext2_readlink(struct ext2 *fs, ext2_ino_t ino, char *buf, size_t cap, size_t *len)
{
    struct ext2_inode in;
    err_t err = ext2_iget(fs, ino, &in);
    if (err != OK)
        return err;
    if ((in.mode & EXT2_S_IFMT) != EXT2_S_IFLNK)
        return ext2_fail(fs, ERR_INVAL, "not a symbolic link");
    *len = in.size;
    if (in.size > cap)
        return ext2_fail(fs, ERR_NOSPACE, "symbolic link longer than the buffer");
    if (ext2_is_fast_link(&in)) {
        memcpy(buf, in.block, in.size);
        return OK;
    }
    if (in.size >= fs->g.block_size)
        return ext2_fail(fs, ERR_IO, "symbolic link longer than a block");
    uint32_t block;
    bool fresh;
    if ((err = ext2_bmap(fs, &in, 0, false, &block, &fresh)) != OK)
        return err;
    if (block == 0)
        return ext2_fail(fs, ERR_IO, "symbolic link without its block");
    uint8_t *data;
    if ((err = ext2_bget(fs, block, true, &data)) != OK)
        return err;
    memcpy(buf, data, in.size);
    ext2_bput(fs, data, false);
    return OK;
}
