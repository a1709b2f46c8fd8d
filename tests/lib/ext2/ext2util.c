/* ext2util.c — drives lib/ext2 on an image file for the tests: reads a tree back,
 * runs a sequence of operations, then syncs. e2fsck and debugfs judge the image
 * afterwards. Built with the sanitizers.
 *
 *   ext2util [-r] [-c BLOCKS] IMAGE OP ARG... [, OP ARG...]...
 *
 * An OP written "!op" must fail: its error goes to stdout and the run goes on. */
#include <err.h>
#include <ext2.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static err_t img_read(void *ctx, uint64_t sector, uint32_t count, void *buf)
{
    ssize_t n = (size_t)count * EXT2_SECTOR;
    return pread(*(int *)ctx, buf, n, (off_t)sector * EXT2_SECTOR) == n ? OK : ERR_IO;
}

static err_t img_write(void *ctx, uint64_t sector, uint32_t count, const void *buf)
{
    ssize_t n = (size_t)count * EXT2_SECTOR;
    return pwrite(*(int *)ctx, buf, n, (off_t)sector * EXT2_SECTOR) == n ? OK : ERR_IO;
}

static struct ext2 fs;

/* The byte a "fill" writes at position pos: tests compute the same. */
static uint8_t pattern(uint64_t pos, unsigned seed) { return (uint8_t)((pos * 131 + seed) % 251); }

static uint64_t fnv(uint64_t h, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 0x100000001b3ull;
    return h;
}

static err_t split(const char *path, ext2_ino_t *dir, const char **name)
{
    static char parent[4096];
    const char *slash = strrchr(path, '/');
    if (!slash) {
        *dir = EXT2_ROOT_INO;
        *name = path;
        return OK;
    }
    size_t n = (size_t)(slash - path);
    if (n >= sizeof parent)
        return ERR_TOOBIG;
    memcpy(parent, path, n);
    parent[n] = '\0';
    *name = slash + 1;
    return ext2_namei(&fs, EXT2_ROOT_INO, n ? parent : "/", dir);
}

static char type_char(uint16_t mode)
{
    switch (mode & EXT2_S_IFMT) {
    case EXT2_S_IFREG:
        return 'f';
    case EXT2_S_IFDIR:
        return 'd';
    case EXT2_S_IFLNK:
        return 'l';
    default:
        return '?';
    }
}

static err_t print_entry(const char *path, ext2_ino_t ino)
{
    struct ext2_stat st;
    err_t err = ext2_stat(&fs, ino, &st);
    if (err != OK)
        return err;
    printf("%s type=%c mode=%04o uid=%u gid=%u links=%u", path, type_char(st.mode), st.mode & 07777,
           st.uid, st.gid, st.links);
    if ((st.mode & EXT2_S_IFMT) == EXT2_S_IFREG) {
        static uint8_t buf[1 << 16];
        uint64_t h = 0xcbf29ce484222325ull, off = 0;
        size_t got;
        do {
            if ((err = ext2_read(&fs, ino, off, buf, sizeof buf, &got)) != OK)
                return err;
            h = fnv(h, buf, got);
            off += got;
        } while (got > 0);
        printf(" size=%llu hash=%016llx", (unsigned long long)st.size, (unsigned long long)h);
    } else if ((st.mode & EXT2_S_IFMT) == EXT2_S_IFLNK) {
        char target[65536];
        size_t len;
        if ((err = ext2_readlink(&fs, ino, target, sizeof target - 1, &len)) != OK)
            return err;
        target[len] = '\0';
        printf(" target=%s", target);
    }
    printf("\n");
    return OK;
}

/* Lists dir's entries, and with recurse those of every folder below it. */
static err_t tree(const char *path, ext2_ino_t dir, int depth, bool recurse)
{
    if (depth > 64) {
        fs.reason = "tree deeper than 64 folders";
        return ERR_TOOBIG;
    }
    uint64_t cookie = 0;
    struct ext2_dirent e;
    err_t err;
    while ((err = ext2_readdir(&fs, dir, &cookie, &e)) == OK) {
        if (strcmp(e.name, ".") == 0 || strcmp(e.name, "..") == 0)
            continue;
        char child[4096];
        snprintf(child, sizeof child, "%s/%s", path, e.name);
        if ((err = print_entry(child, e.ino)) != OK)
            return err;
        struct ext2_stat st;
        if ((err = ext2_stat(&fs, e.ino, &st)) != OK)
            return err;
        if (recurse && (st.mode & EXT2_S_IFMT) == EXT2_S_IFDIR &&
            (err = tree(child, e.ino, depth + 1, true)) != OK)
            return err;
    }
    return err == ERR_END ? OK : err;
}

static err_t cat(ext2_ino_t ino)
{
    static uint8_t buf[1 << 16];
    uint64_t off = 0;
    size_t got;
    err_t err;
    do {
        if ((err = ext2_read(&fs, ino, off, buf, sizeof buf, &got)) != OK)
            return err;
        fwrite(buf, 1, got, stdout);
        off += got;
    } while (got > 0);
    return OK;
}

static err_t fill(ext2_ino_t ino, uint64_t off, uint64_t len, unsigned seed)
{
    static uint8_t buf[1 << 16];
    while (len > 0) {
        size_t n = len < sizeof buf ? (size_t)len : sizeof buf;
        for (size_t i = 0; i < n; i++)
            buf[i] = pattern(off + i, seed);
        err_t err = ext2_write(&fs, ino, off, buf, n);
        if (err != OK)
            return err;
        off += n;
        len -= n;
    }
    return OK;
}

static unsigned long long num(const char *s) { return strtoull(s, 0, 0); }

/* Runs one operation; argv holds exactly its arguments. */
static err_t run(const char *op, int argc, char **argv)
{
    ext2_ino_t dir, ino;
    const char *name;
    err_t err;
#define NEED(n)                                                                                    \
    if (argc != (n))                                                                               \
        return ERR_INVAL;
    if (strcmp(op, "mount") == 0) {
        NEED(0);
        return OK;
    }
    if (strcmp(op, "tree") == 0) {
        NEED(0);
        return tree("", EXT2_ROOT_INO, 0, true);
    }
    if (strcmp(op, "sync") == 0) {
        NEED(0);
        return ext2_sync(&fs);
    }
    if (strcmp(op, "stat") == 0 || strcmp(op, "cat") == 0 || strcmp(op, "ls") == 0 ||
        strcmp(op, "fill") == 0 || strcmp(op, "truncate") == 0 || strcmp(op, "chmod") == 0 ||
        strcmp(op, "chown") == 0 || strcmp(op, "utimes") == 0 || strcmp(op, "write") == 0) {
        if (argc < 1)
            return ERR_INVAL;
        if ((err = ext2_namei(&fs, EXT2_ROOT_INO, argv[0], &ino)) != OK)
            return err;
        if (strcmp(op, "stat") == 0) {
            NEED(1);
            return print_entry(argv[0], ino);
        }
        if (strcmp(op, "cat") == 0) {
            NEED(1);
            return cat(ino);
        }
        if (strcmp(op, "ls") == 0) {
            NEED(1);
            return tree(strcmp(argv[0], "/") ? argv[0] : "", ino, 0, false);
        }
        if (strcmp(op, "fill") == 0) {
            NEED(4);
            return fill(ino, num(argv[1]), num(argv[2]), (unsigned)num(argv[3]));
        }
        if (strcmp(op, "write") == 0) {
            NEED(3);
            return ext2_write(&fs, ino, num(argv[1]), argv[2], strlen(argv[2]));
        }
        if (strcmp(op, "truncate") == 0) {
            NEED(2);
            return ext2_truncate(&fs, ino, num(argv[1]));
        }
        struct ext2_attr a = {0};
        if (strcmp(op, "chmod") == 0) {
            NEED(2);
            a.mask = EXT2_SET_MODE;
            a.mode = (uint16_t)strtoul(argv[1], 0, 8);
        } else if (strcmp(op, "chown") == 0) {
            NEED(3);
            a.mask = EXT2_SET_UID | EXT2_SET_GID;
            a.uid = (uint32_t)num(argv[1]);
            a.gid = (uint32_t)num(argv[2]);
        } else {
            NEED(3);
            a.mask = EXT2_SET_ATIME | EXT2_SET_MTIME;
            a.atime = (uint32_t)num(argv[1]);
            a.mtime = (uint32_t)num(argv[2]);
        }
        return ext2_setattr(&fs, ino, &a);
    }
    if (argc < 1)
        return ERR_INVAL;
    if ((err = split(argv[0], &dir, &name)) != OK)
        return err;
    size_t len = strlen(name);
    if (strcmp(op, "create") == 0) {
        NEED(1);
        return ext2_create(&fs, dir, name, len, 0644, 0, 0, &ino);
    }
    if (strcmp(op, "mkdir") == 0) {
        NEED(1);
        return ext2_mkdir(&fs, dir, name, len, 0755, 0, 0, &ino);
    }
    if (strcmp(op, "symlink") == 0) {
        NEED(2);
        return ext2_symlink(&fs, dir, name, len, argv[1], strlen(argv[1]), 0, 0, &ino);
    }
    if (strcmp(op, "unlink") == 0) {
        NEED(1);
        return ext2_unlink(&fs, dir, name, len);
    }
    if (strcmp(op, "rmdir") == 0) {
        NEED(1);
        return ext2_rmdir(&fs, dir, name, len);
    }
    if (strcmp(op, "link") == 0 || strcmp(op, "rename") == 0) {
        NEED(2);
        ext2_ino_t to_dir;
        const char *to;
        if (strcmp(op, "link") == 0) {
            if ((err = ext2_namei(&fs, EXT2_ROOT_INO, argv[0], &ino)) != OK ||
                (err = split(argv[1], &to_dir, &to)) != OK)
                return err;
            return ext2_link(&fs, to_dir, to, strlen(to), ino);
        }
        ext2_ino_t from_dir = dir;
        const char *from = name;
        if ((err = split(argv[1], &to_dir, &to)) != OK)
            return err;
        return ext2_rename(&fs, from_dir, from, strlen(from), to_dir, to, strlen(to));
    }
    return ERR_NOSYS;
}

int main(int argc, char **argv)
{
    int i = 1, flags = 0;
    unsigned cache_blocks = EXT2_CACHE_SLOTS;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "-r") == 0)
            flags |= EXT2_MOUNT_RDONLY;
        else if (strcmp(argv[i], "-c") == 0 && i + 1 < argc)
            cache_blocks = (unsigned)num(argv[++i]);
    }
    if (i >= argc) {
        fprintf(stderr, "usage: ext2util [-r] [-c BLOCKS] IMAGE OP ARG... [, OP ARG...]...\n");
        return 2;
    }
    int fd = open(argv[i], flags ? O_RDONLY : O_RDWR);
    struct stat st;
    uint8_t sb[1024];
    if (fd < 0 || fstat(fd, &st) != 0) {
        perror(argv[i]);
        return 2;
    }
    /* The cache is sized in the image's own blocks; mount checks the number. */
    uint32_t log = pread(fd, sb, sizeof sb, 1024) == sizeof sb ? sb[24] : 0;
    size_t bs = log <= 6 ? 1024u << log : 1024;
    static _Alignas(64) uint8_t cache[EXT2_CACHE_BYTES(EXT2_CACHE_SLOTS, 65536)];
    if (cache_blocks > EXT2_CACHE_SLOTS)
        cache_blocks = EXT2_CACHE_SLOTS;
    struct ext2_dev dev = {&fd, img_read, img_write, (uint64_t)st.st_size / EXT2_SECTOR};
    err_t err = ext2_mount(&fs, &dev, cache, EXT2_CACHE_BYTES(cache_blocks, bs), (unsigned)flags);
    if (err != OK) {
        printf("mount: %s: %s\n", err_str(err), fs.reason);
        return 1;
    }
    fs.now = 1700000000;
    for (i++; i < argc;) {
        int n = 0;
        while (i + 1 + n < argc && strcmp(argv[i + 1 + n], ",") != 0)
            n++;
        const char *op = argv[i];
        bool must_fail = op[0] == '!';
        fs.reason = "";
        err = run(op + must_fail, n, argv + i + 1);
        if (must_fail && err == OK) {
            printf("%s: succeeded but should have failed\n", op + 1);
            return 2;
        }
        if (err != OK) {
            printf("%s: %s: %s\n", op + must_fail, err_str(err), fs.reason);
            if (!must_fail)
                return 1;
        }
        i += n + 2;
    }
    err = ext2_sync(&fs);
    if (err != OK) {
        printf("sync: %s: %s\n", err_str(err), fs.reason);
        return 1;
    }
    close(fd);
    return 0;
}
