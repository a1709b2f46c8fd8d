/* ext2_fuzz.c — libFuzzer target: any bytes as a disk image either fail to mount
 * or mount and survive a walk of the whole tree (every directory to a bounded
 * depth, every file read, every link read), then a few writes on a copy and a
 * second walk. ASan and UBSan catch stray accesses; the bounds catch hangs.
 * Run: build/host-fuzz/tests/lib/ext2/ext2_fuzz -max_total_time=60 CORPUS */
#include <ext2.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct image {
    uint8_t *bytes;
    size_t size;
};

static err_t mem_read(void *ctx, uint64_t sector, uint32_t count, void *buf)
{
    struct image *im = ctx;
    if (sector * EXT2_SECTOR + (uint64_t)count * EXT2_SECTOR > im->size)
        abort(); /* the library promised to check against dev.sectors */
    memcpy(buf, im->bytes + sector * EXT2_SECTOR, (size_t)count * EXT2_SECTOR);
    return OK;
}

static err_t mem_write(void *ctx, uint64_t sector, uint32_t count, const void *buf)
{
    struct image *im = ctx;
    if (sector * EXT2_SECTOR + (uint64_t)count * EXT2_SECTOR > im->size)
        abort();
    memcpy(im->bytes + sector * EXT2_SECTOR, buf, (size_t)count * EXT2_SECTOR);
    return OK;
}

enum { MAX_DEPTH = 6, MAX_ENTRIES = 64, MAX_READ = 1 << 16 };

static _Alignas(64) uint8_t cache[EXT2_CACHE_BYTES(EXT2_CACHE_MIN, 65536)];
static uint8_t buf[MAX_READ];

static void walk(struct ext2 *fs, ext2_ino_t dir, int depth)
{
    uint64_t cookie = 0;
    struct ext2_dirent e;
    for (int n = 0; n < MAX_ENTRIES && ext2_readdir(fs, dir, &cookie, &e) == OK; n++) {
        if (e.name[e.name_len] != '\0' || strlen(e.name) > e.name_len)
            abort();
        ext2_ino_t again;
        (void)ext2_lookup(fs, dir, e.name, e.name_len, &again);
        struct ext2_stat st;
        if (ext2_stat(fs, e.ino, &st) != OK || e.name[0] == '.')
            continue;
        size_t got, len;
        switch (st.mode & EXT2_S_IFMT) {
        case EXT2_S_IFDIR:
            if (depth < MAX_DEPTH)
                walk(fs, e.ino, depth + 1);
            break;
        case EXT2_S_IFLNK:
            (void)ext2_readlink(fs, e.ino, (char *)buf, sizeof buf, &len);
            break;
        default:
            if (ext2_read(fs, e.ino, 0, buf, sizeof buf, &got) == OK && got > sizeof buf)
                abort();
            (void)ext2_read(fs, e.ino, st.size > 100 ? st.size - 100 : 0, buf, 200, &got);
        }
    }
}

/* Writes that reach allocation, directory growth, truncation and removal. */
static void scribble(struct ext2 *fs)
{
    ext2_ino_t dir, file, ino;
    memset(buf, 'x', 5000);
    if (ext2_mkdir(fs, EXT2_ROOT_INO, "fz", 2, 0755, 0, 0, &dir) != OK)
        dir = EXT2_ROOT_INO;
    if (ext2_create(fs, dir, "f", 1, 0644, 0, 0, &file) == OK) {
        (void)ext2_write(fs, file, 0, buf, 5000);
        (void)ext2_write(fs, file, 70000, buf, 10);
        (void)ext2_truncate(fs, file, 3000);
        (void)ext2_link(fs, EXT2_ROOT_INO, "g", 1, file);
        (void)ext2_rename(fs, dir, "f", 1, EXT2_ROOT_INO, "h", 1);
        (void)ext2_unlink(fs, EXT2_ROOT_INO, "g", 1);
    }
    (void)ext2_symlink(fs, dir, "s", 1, (const char *)buf, 100, 0, 0, &ino);
    uint64_t cookie = 0;
    struct ext2_dirent e;
    if (ext2_readdir(fs, EXT2_ROOT_INO, &cookie, &e) == OK &&
        ext2_readdir(fs, EXT2_ROOT_INO, &cookie, &e) == OK &&
        ext2_readdir(fs, EXT2_ROOT_INO, &cookie, &e) == OK)
        (void)ext2_unlink(fs, EXT2_ROOT_INO, e.name, e.name_len);
    (void)ext2_unlink(fs, dir, "s", 1);
    (void)ext2_rmdir(fs, EXT2_ROOT_INO, "fz", 2);
    (void)ext2_sync(fs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct image im = {malloc(size ? size : 1), size};
    memcpy(im.bytes, data, size);
    struct ext2_dev dev = {&im, mem_read, mem_write, size / EXT2_SECTOR};
    struct ext2 fs;
    if (ext2_mount(&fs, &dev, cache, sizeof cache, 0) == OK ||
        ext2_mount(&fs, &dev, cache, sizeof cache, EXT2_MOUNT_RDONLY) == OK) {
        walk(&fs, EXT2_ROOT_INO, 0);
        if (!fs.readonly) {
            scribble(&fs);
            walk(&fs, EXT2_ROOT_INO, 0);
        }
    } else if (!fs.reason) {
        abort(); /* every refusal names its reason */
    }
    free(im.bytes);
    return 0;
}
