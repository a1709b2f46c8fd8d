/* namei.c — names: lookup and path walking, and the operations that add or
 * remove names (create, mkdir, symlink, link, unlink, rmdir, rename) while
 * keeping link counts, directory counts and bitmaps as e2fsck expects them. */
#include "ext2_int.h"

#define EXT2_XATTR_MAGIC 0xea020000u

static bool is_dot(const char *name, size_t len)
{
    return (len == 1 && name[0] == '.') || (len == 2 && name[0] == '.' && name[1] == '.');
}

static err_t check_name(struct ext2 *fs, const char *name, size_t len)
{
    if (len == 0)
        return ext2_fail(fs, ERR_BADNAME, "empty name");
    if (len > EXT2_NAME_MAX)
        return ext2_fail(fs, ERR_LONGNAME, "name longer than 255 bytes");
    if (memchr(name, '/', len) || memchr(name, '\0', len))
        return ext2_fail(fs, ERR_BADNAME, "name holds '/' or NUL");
    return OK;
}

/* A name to create or remove: also not "." or "..", and the file system writable. */
static err_t check_new_name(struct ext2 *fs, const char *name, size_t len)
{
    if (fs->readonly)
        return ext2_fail(fs, ERR_ROFS, "mounted read-only");
    err_t err = check_name(fs, name, len);
    if (err == OK && is_dot(name, len))
        return ext2_fail(fs, ERR_INVAL, "\".\" and \"..\" are not names to change");
    return err;
}

static bool is_dir(const struct ext2_inode *in) { return (in->mode & EXT2_S_IFMT) == EXT2_S_IFDIR; }

err_t ext2_lookup(struct ext2 *fs, ext2_ino_t dir, const char *name, size_t len, ext2_ino_t *ino)
{
    uint8_t type;
    err_t err = check_name(fs, name, len);
    return err != OK ? err : ext2_dir_find(fs, dir, name, len, ino, &type);
}

err_t ext2_namei(struct ext2 *fs, ext2_ino_t dir, const char *path, ext2_ino_t *ino)
{
    ext2_ino_t cur = path[0] == '/' ? EXT2_ROOT_INO : dir;
    while (*path) {
        while (*path == '/')
            path++;
        size_t len = 0;
        while (path[len] && path[len] != '/')
            len++;
        if (len == 0)
            break;
        err_t err = ext2_lookup(fs, cur, path, len, &cur);
        if (err != OK)
            return err;
        path += len;
    }
    *ino = cur;
    return OK;
}

/* Drops the inode's extended attribute block: shared blocks count their users. */
static err_t free_xattr(struct ext2 *fs, struct ext2_inode *in)
{
    if (in->file_acl == 0)
        return OK;
    uint8_t *data;
    err_t err = ext2_check_data_block(fs, in->file_acl);
    if (err == OK)
        err = ext2_bget(fs, in->file_acl, true, &data);
    if (err != OK)
        return err;
    uint32_t magic, refs;
    memcpy(&magic, data, 4);
    memcpy(&refs, data + 4, 4);
    bool shared = magic == EXT2_XATTR_MAGIC && refs > 1;
    if (shared) {
        refs--;
        memcpy(data + 4, &refs, 4);
    }
    ext2_bput(fs, data, shared);
    if (!shared && (err = ext2_free_block(fs, in->file_acl)) != OK)
        return err;
    uint32_t per = fs->g.block_size / EXT2_SECTOR;
    in->blocks = in->blocks >= per ? in->blocks - per : 0;
    in->file_acl = 0;
    return OK;
}

/* One link fewer; at none, the inode and everything it holds are freed,
 * unless the caller still has it open (fs->busy). */
static err_t drop_link(struct ext2 *fs, ext2_ino_t ino, struct ext2_inode *in, bool all)
{
    in->links_count = all || in->links_count == 0 ? 0 : in->links_count - 1;
    in->ctime = fs->now;
    if (in->links_count > 0 || (fs->busy != NULL && fs->busy(fs->busy_ctx, ino)))
        return ext2_iput(fs, ino, in); /* an open file stays until ext2_release */
    err_t err = OK;
    if (ext2_has_block_map(in))
        err = ext2_free_from(fs, in, 0);
    else
        memset(in->block, 0, sizeof in->block); /* a device number or a link's target */
    if (err == OK)
        err = free_xattr(fs, in);
    in->size = in->size_high = 0;
    in->dtime = fs->now;
    err_t err2 = ext2_iput(fs, ino, in);
    if (err == OK)
        err = err2;
    return err != OK ? err : ext2_free_inode(fs, ino, is_dir(in));
}

static err_t add_links(struct ext2 *fs, ext2_ino_t ino, int delta)
{
    struct ext2_inode in;
    err_t err = ext2_iget(fs, ino, &in);
    if (err != OK)
        return err;
    if (delta > 0 && in.links_count >= EXT2_LINK_MAX)
        return ext2_fail(fs, ERR_TOOBIG, "too many links");
    in.links_count = (uint16_t)(in.links_count + delta);
    in.ctime = fs->now;
    return ext2_iput(fs, ino, &in);
}

/* A free name in a writable directory. */
static err_t check_free(struct ext2 *fs, ext2_ino_t dir, const char *name, size_t len)
{
    ext2_ino_t old;
    uint8_t type;
    err_t err = check_new_name(fs, name, len);
    if (err == OK)
        err = ext2_dir_find(fs, dir, name, len, &old, &type);
    if (err == OK)
        return ext2_fail(fs, ERR_EXIST, "the name is taken");
    return err == ERR_NOENT ? OK : err;
}

static err_t new_inode(struct ext2 *fs, ext2_ino_t dir, uint16_t mode, uint32_t uid, uint32_t gid,
                       ext2_ino_t *ino, struct ext2_inode *in)
{
    err_t err = ext2_alloc_inode(fs, dir, (mode & EXT2_S_IFMT) == EXT2_S_IFDIR, ino);
    if (err != OK)
        return err;
    memset(in, 0, sizeof *in);
    in->mode = mode;
    in->uid = (uint16_t)uid;
    in->uid_high = (uint16_t)(uid >> 16);
    in->gid = (uint16_t)gid;
    in->gid_high = (uint16_t)(gid >> 16);
    in->links_count = 1;
    in->atime = in->ctime = in->mtime = fs->now;
    return OK;
}

/* Puts the new inode's name in dir; when that fails the inode goes again. */
static err_t enter(struct ext2 *fs, ext2_ino_t dir, const char *name, size_t len, ext2_ino_t ino,
                   struct ext2_inode *in)
{
    err_t err = ext2_iput(fs, ino, in);
    if (err == OK)
        err = ext2_dir_add(fs, dir, name, len, ino, in->mode);
    if (err != OK) {
        const char *reason = fs->reason;
        (void)drop_link(fs, ino, in, true);
        fs->reason = reason;
    }
    return err;
}

err_t ext2_create(struct ext2 *fs, ext2_ino_t dir, const char *name, size_t len, uint16_t mode,
                  uint32_t uid, uint32_t gid, ext2_ino_t *ino)
{
    uint16_t type = mode & EXT2_S_IFMT;
    if (type == 0)
        mode |= type = EXT2_S_IFREG;
    if (type != EXT2_S_IFREG && type != EXT2_S_IFIFO && type != EXT2_S_IFSOCK)
        return ext2_fail(fs, ERR_INVAL, "create makes files, fifos and sockets only");
    struct ext2_inode in;
    err_t err = check_free(fs, dir, name, len);
    if (err == OK)
        err = new_inode(fs, dir, mode, uid, gid, ino, &in);
    return err != OK ? err : enter(fs, dir, name, len, *ino, &in);
}

err_t ext2_mkdir(struct ext2 *fs, ext2_ino_t dir, const char *name, size_t len, uint16_t mode,
                 uint32_t uid, uint32_t gid, ext2_ino_t *ino)
{
    struct ext2_inode in;
    err_t err = check_free(fs, dir, name, len);
    if (err == OK)
        err = new_inode(fs, dir, EXT2_S_IFDIR | (mode & 07777), uid, gid, ino, &in);
    if (err != OK)
        return err;
    uint32_t bs = fs->g.block_size, block;
    bool fresh;
    uint8_t *data;
    in.links_count = 2; /* its name and its "." */
    if ((err = ext2_bmap(fs, &in, 0, true, &block, &fresh)) == OK &&
        (err = ext2_bget(fs, block, false, &data)) == OK) {
        uint8_t t = ext2_ftype(fs, EXT2_S_IFDIR);
        struct ext2_dirhdr dot = {*ino, 12, 1, t}, dotdot = {dir, (uint16_t)(bs - 12), 2, t};
        memcpy(data, &dot, 8);
        memcpy(data + 8, ".\0\0\0", 4);
        memcpy(data + 12, &dotdot, 8);
        memcpy(data + 20, "..\0\0", 4);
        ext2_bput(fs, data, true);
        in.size = bs;
    }
    if (err == OK && (err = add_links(fs, dir, 1)) == OK &&
        (err = enter(fs, dir, name, len, *ino, &in)) != OK)
        (void)add_links(fs, dir, -1);
    if (err != OK && in.links_count == 2)
        (void)drop_link(fs, *ino, &in, true);
    return err;
}

err_t ext2_symlink(struct ext2 *fs, ext2_ino_t dir, const char *name, size_t len,
                   const char *target, size_t target_len, uint32_t uid, uint32_t gid,
                   ext2_ino_t *ino)
{
    if (target_len == 0 || target_len >= fs->g.block_size)
        return ext2_fail(fs, ERR_LONGNAME, "symbolic link target empty or longer than a block");
    struct ext2_inode in;
    err_t err = check_free(fs, dir, name, len);
    if (err == OK)
        err = new_inode(fs, dir, EXT2_S_IFLNK | 0777, uid, gid, ino, &in);
    if (err != OK)
        return err;
    in.size = (uint32_t)target_len;
    if (target_len < EXT2_FAST_LINK_MAX) {
        memcpy(in.block, target, target_len);
    } else {
        uint32_t block;
        bool fresh;
        uint8_t *data;
        if ((err = ext2_bmap(fs, &in, 0, true, &block, &fresh)) == OK &&
            (err = ext2_bget(fs, block, false, &data)) == OK) {
            memcpy(data, target, target_len);
            ext2_bput(fs, data, true);
        }
        if (err != OK) {
            in.size = 0; /* the block map is what drop_link frees now */
            (void)drop_link(fs, *ino, &in, true);
            return err;
        }
    }
    return enter(fs, dir, name, len, *ino, &in);
}

err_t ext2_link(struct ext2 *fs, ext2_ino_t dir, const char *name, size_t len, ext2_ino_t ino)
{
    struct ext2_inode in;
    err_t err = check_free(fs, dir, name, len);
    if (err == OK)
        err = ext2_iget(fs, ino, &in);
    if (err != OK)
        return err;
    if (is_dir(&in))
        return ext2_fail(fs, ERR_PERM, "directories get no extra links");
    if (in.links_count == 0)
        return ext2_fail(fs, ERR_NOENT, "the inode is not in use");
    if ((err = add_links(fs, ino, 1)) != OK)
        return err;
    err = ext2_dir_add(fs, dir, name, len, ino, in.mode);
    if (err != OK)
        (void)add_links(fs, ino, -1);
    return err;
}

static err_t find_inode(struct ext2 *fs, ext2_ino_t dir, const char *name, size_t len,
                        ext2_ino_t *ino, struct ext2_inode *in)
{
    uint8_t type;
    err_t err = ext2_dir_find(fs, dir, name, len, ino, &type);
    if (err == OK)
        err = ext2_iget(fs, *ino, in);
    if (err == OK && in->links_count == 0)
        return ext2_fail(fs, ERR_IO, "directory entry names a free inode");
    return err;
}

err_t ext2_unlink(struct ext2 *fs, ext2_ino_t dir, const char *name, size_t len)
{
    ext2_ino_t ino;
    struct ext2_inode in;
    err_t err = check_new_name(fs, name, len);
    if (err == OK)
        err = find_inode(fs, dir, name, len, &ino, &in);
    if (err != OK)
        return err;
    if (is_dir(&in))
        return ext2_fail(fs, ERR_ISDIR, "directories go with rmdir");
    if ((err = ext2_dir_remove(fs, dir, name, len)) != OK)
        return err;
    return drop_link(fs, ino, &in, false);
}

/* An empty directory that can go: its "." and the parent's link from ".." go too. */
static err_t removable_dir(struct ext2 *fs, ext2_ino_t ino, const struct ext2_inode *in)
{
    bool empty;
    if (!is_dir(in))
        return ext2_fail(fs, ERR_NOTDIR, "not a directory");
    if (ino == EXT2_ROOT_INO)
        return ext2_fail(fs, ERR_BUSY, "the root directory stays");
    err_t err = ext2_dir_is_empty(fs, ino, &empty);
    if (err == OK && !empty)
        return ext2_fail(fs, ERR_NOTEMPTY, "directory not empty");
    return err;
}

err_t ext2_rmdir(struct ext2 *fs, ext2_ino_t dir, const char *name, size_t len)
{
    ext2_ino_t ino;
    struct ext2_inode in;
    err_t err = check_new_name(fs, name, len);
    if (err == OK)
        err = find_inode(fs, dir, name, len, &ino, &in);
    if (err == OK)
        err = removable_dir(fs, ino, &in);
    if (err == OK)
        err = ext2_dir_remove(fs, dir, name, len);
    if (err == OK)
        err = drop_link(fs, ino, &in, true);
    return err != OK ? err : add_links(fs, dir, -1);
}

/* Whether dir is anc or lies below it, by ".." up to the root. A tree deeper
 * than there are inodes has a loop. */
static err_t is_below(struct ext2 *fs, ext2_ino_t anc, ext2_ino_t dir, bool *below)
{
    for (uint32_t steps = 0; steps <= fs->g.inodes; steps++) {
        if (dir == anc) {
            *below = true;
            return OK;
        }
        if (dir == EXT2_ROOT_INO) {
            *below = false;
            return OK;
        }
        err_t err = ext2_lookup(fs, dir, "..", 2, &dir);
        if (err != OK)
            return err;
    }
    return ext2_fail(fs, ERR_IO, "directory tree loops");
}

/* Replaces the target's entry with src and lets the target go. */
static err_t replace(struct ext2 *fs, ext2_ino_t to_dir, const char *to, size_t to_len,
                     ext2_ino_t src, const struct ext2_inode *src_in, ext2_ino_t tgt,
                     struct ext2_inode *tgt_in)
{
    err_t err = OK;
    if (is_dir(src_in) && !is_dir(tgt_in))
        return ext2_fail(fs, ERR_NOTDIR, "a directory cannot replace a file");
    if (!is_dir(src_in) && is_dir(tgt_in))
        return ext2_fail(fs, ERR_ISDIR, "a file cannot replace a directory");
    if (is_dir(tgt_in))
        err = removable_dir(fs, tgt, tgt_in);
    if (err == OK)
        err = ext2_dir_retarget(fs, to_dir, to, to_len, src, src_in->mode);
    if (err == OK)
        err = drop_link(fs, tgt, tgt_in, is_dir(tgt_in));
    if (err == OK && is_dir(tgt_in))
        err = add_links(fs, to_dir, -1);
    return err;
}

err_t ext2_rename(struct ext2 *fs, ext2_ino_t from_dir, const char *from, size_t from_len,
                  ext2_ino_t to_dir, const char *to, size_t to_len)
{
    ext2_ino_t src, tgt;
    struct ext2_inode src_in, tgt_in;
    err_t err = check_new_name(fs, from, from_len);
    if (err == OK)
        err = check_new_name(fs, to, to_len);
    if (err == OK)
        err = find_inode(fs, from_dir, from, from_len, &src, &src_in);
    if (err != OK)
        return err;
    bool moves_dir = is_dir(&src_in) && from_dir != to_dir, below = false;
    if (moves_dir && (err = is_below(fs, src, to_dir, &below)) != OK)
        return err;
    if (below)
        return ext2_fail(fs, ERR_INVAL, "a directory cannot move below itself");
    err = find_inode(fs, to_dir, to, to_len, &tgt, &tgt_in);
    if (err == OK && tgt == src)
        return OK; /* two names of one inode: nothing to do */
    if (err == OK)
        err = replace(fs, to_dir, to, to_len, src, &src_in, tgt, &tgt_in);
    else if (err == ERR_NOENT)
        err = ext2_dir_add(fs, to_dir, to, to_len, src, src_in.mode);
    if (err == OK)
        err = ext2_dir_remove(fs, from_dir, from, from_len);
    if (err == OK && moves_dir) {
        err = ext2_dir_retarget(fs, src, "..", 2, to_dir, EXT2_S_IFDIR);
        if (err == OK)
            err = add_links(fs, from_dir, -1);
        if (err == OK)
            err = add_links(fs, to_dir, 1);
    }
    if (err == OK)
        err = add_links(fs, src, 0); /* stamps ctime */
    return err;
}

err_t ext2_release(struct ext2 *fs, ext2_ino_t ino)
{
    struct ext2_inode in;
    err_t err = ext2_iget(fs, ino, &in);
    if (err != OK || in.links_count != 0 || in.mode == 0 || in.dtime != 0)
        return err; /* still linked, or already freed */
    return drop_link(fs, ino, &in, true);
}
