/* ext2_int.h — the on-disk layout (revision 1, little-endian) and the functions
 * the library's files share. Nothing here is for callers of ext2.h. */
#ifndef EXT2_INT_H
#define EXT2_INT_H

#include <ext2.h>
#include <string.h>

_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "ext2 is read as little-endian");

#define EXT2_MAGIC         0xef53
#define EXT2_NDIR          12 /* direct blocks in i_block */
#define EXT2_IND           12
#define EXT2_DIND          13
#define EXT2_TIND          14
#define EXT2_FAST_LINK_MAX 60 /* bytes of i_block a fast symlink's target fits in */
#define EXT2_LINK_MAX      65000
#define EXT2_INDEX_FL      0x1000 /* a hashed directory index we do not update */

#define EXT2_SB_RESERVED_GDT 206 /* offset of s_reserved_gdt_blocks, a u16 */

#define EXT2_INCOMPAT_FILETYPE      0x2
#define EXT2_RO_COMPAT_SPARSE_SUPER 0x1
#define EXT2_RO_COMPAT_LARGE_FILE   0x2

/* Superblock fields we use, at their offsets; the rest of the 1024 bytes is
 * kept as read and written back untouched. */
struct ext2_super {
    uint32_t inodes_count, blocks_count, r_blocks_count, free_blocks_count;
    uint32_t free_inodes_count, first_data_block, log_block_size, log_frag_size;
    uint32_t blocks_per_group, frags_per_group, inodes_per_group, mtime, wtime;
    uint16_t mnt_count, max_mnt_count, magic, state, errors, minor_rev_level;
    uint32_t lastcheck, checkinterval, creator_os, rev_level;
    uint16_t def_resuid, def_resgid;
    uint32_t first_ino;
    uint16_t inode_size, block_group_nr;
    uint32_t feature_compat, feature_incompat, feature_ro_compat;
};
_Static_assert(sizeof(struct ext2_super) == 104, "superblock fields up to the features");

struct ext2_gd {
    uint32_t block_bitmap, inode_bitmap, inode_table;
    uint16_t free_blocks_count, free_inodes_count, used_dirs_count, flags;
    uint8_t reserved[12];
};
_Static_assert(sizeof(struct ext2_gd) == 32, "group descriptor");

struct ext2_inode {
    uint16_t mode, uid;
    uint32_t size, atime, ctime, mtime, dtime;
    uint16_t gid, links_count;
    uint32_t blocks, flags, osd1;
    uint32_t block[15];
    uint32_t generation, file_acl, size_high, faddr;
    uint16_t blocks_hi, file_acl_high, uid_high, gid_high, checksum_lo, reserved;
};
_Static_assert(sizeof(struct ext2_inode) == 128, "the revision 0 inode");

struct ext2_dirhdr {
    uint32_t inode;
    uint16_t rec_len;
    uint8_t name_len, file_type;
};
_Static_assert(sizeof(struct ext2_dirhdr) == 8, "directory entry header");

#define EXT2_DIR_REC(name_len) ((8u + (name_len) + 3u) & ~3u)

static inline struct ext2_super *ext2_sb(struct ext2 *fs) { return (struct ext2_super *)fs->super; }

/* Failing with a reason: every refusal goes through here. */
static inline err_t ext2_fail(struct ext2 *fs, err_t err, const char *reason)
{
    fs->reason = reason;
    return err;
}

/* cache.c: blocks pinned while held; bput says whether the holder changed it. */
err_t ext2_bget(struct ext2 *fs, uint32_t block, bool read, uint8_t **data) MUST_CHECK;
void ext2_bput(struct ext2 *fs, uint8_t *data, bool dirty);
err_t ext2_bflush(struct ext2 *fs) MUST_CHECK;
err_t ext2_dev_read(struct ext2 *fs, uint64_t byte, uint32_t len, void *buf) MUST_CHECK;

/* group.c: descriptors and the layout of groups. */
err_t ext2_gd_get(struct ext2 *fs, uint32_t group, struct ext2_gd *gd) MUST_CHECK;
err_t ext2_gd_put(struct ext2 *fs, uint32_t group, const struct ext2_gd *gd) MUST_CHECK;
bool ext2_group_has_super(const struct ext2 *fs, uint32_t group);
/* Whether block may hold file data or indirect blocks: inside the device, and
 * no superblock, descriptor, bitmap or inode table. */
err_t ext2_check_data_block(struct ext2 *fs, uint32_t block) MUST_CHECK;

/* inode.c */
err_t ext2_iget(struct ext2 *fs, ext2_ino_t ino, struct ext2_inode *in) MUST_CHECK;
err_t ext2_iput(struct ext2 *fs, ext2_ino_t ino, const struct ext2_inode *in) MUST_CHECK;
uint64_t ext2_isize(const struct ext2_inode *in);
void ext2_set_isize(struct ext2 *fs, struct ext2_inode *in, uint64_t size);
bool ext2_is_fast_link(const struct ext2_inode *in);
/* Whether i_block is a block map: not for device numbers or fast link targets. */
bool ext2_has_block_map(const struct ext2_inode *in);

/* alloc.c */
err_t ext2_alloc_block(struct ext2 *fs, uint32_t goal, uint32_t *block) MUST_CHECK;
err_t ext2_free_block(struct ext2 *fs, uint32_t block) MUST_CHECK;
err_t ext2_alloc_inode(struct ext2 *fs, ext2_ino_t near, bool dir, ext2_ino_t *ino) MUST_CHECK;
err_t ext2_free_inode(struct ext2 *fs, ext2_ino_t ino, bool dir) MUST_CHECK;

/* bmap.c: logical block to physical; 0 is a hole. With alloc, holes get blocks
 * (zeroed when *fresh is set, so the caller need not read them). */
err_t ext2_bmap(struct ext2 *fs, struct ext2_inode *in, uint64_t lblk, bool alloc, uint32_t *block,
                bool *fresh) MUST_CHECK;
/* Frees every block at logical numbers >= from, indirect blocks included. */
err_t ext2_free_from(struct ext2 *fs, struct ext2_inode *in, uint64_t from) MUST_CHECK;

/* dir.c */
err_t ext2_dir_find(struct ext2 *fs, ext2_ino_t dir, const char *name, size_t len, ext2_ino_t *ino,
                    uint8_t *type) MUST_CHECK;
err_t ext2_dir_add(struct ext2 *fs, ext2_ino_t dir, const char *name, size_t len, ext2_ino_t ino,
                   uint16_t mode) MUST_CHECK;
err_t ext2_dir_remove(struct ext2 *fs, ext2_ino_t dir, const char *name, size_t len) MUST_CHECK;
/* Points an existing entry at another inode (rename over a target, "..") */
err_t ext2_dir_retarget(struct ext2 *fs, ext2_ino_t dir, const char *name, size_t len,
                        ext2_ino_t ino, uint16_t mode) MUST_CHECK;
err_t ext2_dir_is_empty(struct ext2 *fs, ext2_ino_t dir, bool *empty) MUST_CHECK;
uint8_t ext2_ftype(const struct ext2 *fs, uint16_t mode);

#endif
