/* bmap.c — a file's block map: twelve direct blocks, then single, double and
 * triple indirect ones. Every pointer read from disk is checked before use, and
 * the walk is as deep as the map, never deeper. */
#include "ext2_int.h"

static uint32_t get32(const uint8_t *map, uint32_t i)
{
    uint32_t v;
    memcpy(&v, map + 4 * i, 4);
    return v;
}

static void put32(uint8_t *map, uint32_t i, uint32_t v) { memcpy(map + 4 * i, &v, 4); }

static uint32_t sectors_per_block(const struct ext2 *fs) { return fs->g.block_size / EXT2_SECTOR; }

/* A new block for the map: indirect blocks start as zeros on disk. */
static err_t new_block(struct ext2 *fs, struct ext2_inode *in, uint32_t goal, bool indirect,
                       uint32_t *block)
{
    err_t err = ext2_alloc_block(fs, goal, block);
    if (err != OK)
        return err;
    in->blocks += sectors_per_block(fs);
    if (indirect) {
        uint8_t *data;
        if ((err = ext2_bget(fs, *block, false, &data)) != OK)
            return err;
        ext2_bput(fs, data, true);
    }
    return OK;
}

err_t ext2_bmap(struct ext2 *fs, struct ext2_inode *in, uint64_t lblk, bool alloc, uint32_t *block,
                bool *fresh)
{
    uint64_t apb = fs->g.addr_per_block, l = lblk;
    uint32_t idx[3] = {0, 0, 0};
    int depth;
    uint32_t *root;
    *block = 0;
    *fresh = false;
    if (lblk >= fs->g.max_file_blocks)
        return ext2_fail(fs, ERR_TOOBIG, "offset beyond what the block map addresses");
    if (l < EXT2_NDIR) {
        root = &in->block[l];
        depth = 0;
    } else if ((l -= EXT2_NDIR) < apb) {
        root = &in->block[EXT2_IND];
        depth = 1;
        idx[0] = (uint32_t)l;
    } else if ((l -= apb) < apb * apb) {
        root = &in->block[EXT2_DIND];
        depth = 2;
        idx[0] = (uint32_t)(l / apb);
        idx[1] = (uint32_t)(l % apb);
    } else {
        l -= apb * apb;
        root = &in->block[EXT2_TIND];
        depth = 3;
        idx[0] = (uint32_t)(l / (apb * apb));
        idx[1] = (uint32_t)(l / apb % apb);
        idx[2] = (uint32_t)(l % apb);
    }
    err_t err;
    uint32_t cur = *root;
    if (cur == 0) {
        if (!alloc)
            return OK;
        if ((err = new_block(fs, in, in->block[0], depth > 0, &cur)) != OK)
            return err;
        *root = cur;
        *fresh = depth == 0;
    } else if ((err = ext2_check_data_block(fs, cur)) != OK) {
        return err;
    }
    for (int d = 0; d < depth; d++) {
        uint8_t *map;
        if ((err = ext2_bget(fs, cur, true, &map)) != OK)
            return err;
        uint32_t next = get32(map, idx[d]);
        if (next == 0) {
            if (!alloc) {
                ext2_bput(fs, map, false);
                return OK;
            }
            err = new_block(fs, in, cur + 1, d + 1 < depth, &next);
            if (err == OK)
                put32(map, idx[d], next);
            ext2_bput(fs, map, err == OK);
            if (err != OK)
                return err;
            *fresh = d + 1 == depth;
        } else {
            ext2_bput(fs, map, false);
            if ((err = ext2_check_data_block(fs, next)) != OK)
                return err;
        }
        cur = next;
    }
    *block = cur;
    return OK;
}

static err_t drop(struct ext2 *fs, struct ext2_inode *in, uint32_t block)
{
    err_t err = ext2_free_block(fs, block);
    if (err == OK && in->blocks >= sectors_per_block(fs))
        in->blocks -= sectors_per_block(fs);
    return err;
}

/* Frees what the subtree at *slot maps at logical blocks >= from; base is the
 * first logical block it maps, level its height (1 = single indirect). */
static err_t trim(struct ext2 *fs, struct ext2_inode *in, uint32_t *slot, int level, uint64_t base,
                  uint64_t from)
{
    uint64_t apb = fs->g.addr_per_block, child_span = 1;
    for (int i = 1; i < level; i++)
        child_span *= apb;
    if (*slot == 0 || base + child_span * apb <= from)
        return OK;
    err_t err = ext2_check_data_block(fs, *slot);
    uint8_t *map;
    if (err != OK || (err = ext2_bget(fs, *slot, true, &map)) != OK)
        return err;
    bool dirty = false, kept = false;
    for (uint32_t i = 0; i < apb && err == OK; i++) {
        uint32_t e = get32(map, i), c = e;
        uint64_t child_base = base + i * child_span;
        if (e == 0)
            continue;
        if (child_base + child_span <= from) {
            kept = true;
            continue;
        }
        if (level == 1) {
            err = drop(fs, in, e);
            c = err == OK ? 0 : e;
        } else {
            err = trim(fs, in, &c, level - 1, child_base, from);
        }
        if (c != e) {
            put32(map, i, c);
            dirty = true;
        }
        kept |= c != 0;
    }
    ext2_bput(fs, map, dirty);
    if (err != OK || kept)
        return err;
    err = drop(fs, in, *slot);
    if (err == OK)
        *slot = 0;
    return err;
}

err_t ext2_free_from(struct ext2 *fs, struct ext2_inode *in, uint64_t from)
{
    uint64_t apb = fs->g.addr_per_block;
    for (uint32_t i = 0; i < EXT2_NDIR; i++) {
        if (i >= from && in->block[i]) {
            err_t err = drop(fs, in, in->block[i]);
            if (err != OK)
                return err;
            in->block[i] = 0;
        }
    }
    err_t err = trim(fs, in, &in->block[EXT2_IND], 1, EXT2_NDIR, from);
    if (err == OK)
        err = trim(fs, in, &in->block[EXT2_DIND], 2, EXT2_NDIR + apb, from);
    if (err == OK)
        err = trim(fs, in, &in->block[EXT2_TIND], 3, EXT2_NDIR + apb + apb * apb, from);
    return err;
}
