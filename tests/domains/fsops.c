/* fsops SEED COUNT DIR — a random workload of file operations in DIR (made
 * if need be), for
 * the differential test against Linux (tests/boot/fs_cases.py): COUNT
 * operations (create, write at random offsets, truncate, rename, link,
 * symlink, unlink, mkdir, rmdir) on names from a small pool, so that many collide and
 * fail. Each is logged with its arguments and its result (0 or the errno's
 * name), enough for the host to do the same on a Linux folder: written bytes
 * come from data(SEED, I), which the host computes too. At the end it syncs
 * and lists the tree: type, size, link count and CRC-32 of every entry. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const names[] = {"a", "b", "c", "d", "a/b", "a/c", "b/a", "b/d", "a/b/c", "d/a"};
#define NNAMES (sizeof names / sizeof names[0])

static uint32_t rng;

static uint32_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng;
}

/* The bytes operation i writes: xorshift32 from seed and i (the host's
 * replay computes the same). */
static void data(uint32_t seed, uint32_t i, uint8_t *out, size_t len)
{
    uint32_t x = (seed ^ (i * 2654435761u)) | 1;
    for (size_t k = 0; k < len; k++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        out[k] = (uint8_t)x;
    }
}

static const char *result(int r)
{
    if (r == 0)
        return "0";
    switch (errno) {
    case ENOENT:
        return "ENOENT";
    case EEXIST:
        return "EEXIST";
    case ENOTDIR:
        return "ENOTDIR";
    case EISDIR:
        return "EISDIR";
    case ENOTEMPTY:
        return "ENOTEMPTY";
    case EINVAL:
        return "EINVAL";
    case EPERM:
        return "EPERM";
    case ENOSPC:
        return "ENOSPC";
    case EMLINK:
        return "EMLINK";
    case EFBIG:
        return "EFBIG";
    case EBUSY:
        return "EBUSY";
    case ELOOP:
        return "ELOOP";
    default:
        return strerror(errno);
    }
}

static char path_a[512], path_b[512];

static const char *at(char *buf, const char *dir, const char *name)
{
    snprintf(buf, 512, "%s/%s", dir, name);
    return buf;
}

/* Writes len bytes of data(seed, i) at off into name (made if need be). */
static int write_at(const char *path, uint32_t seed, uint32_t i, uint64_t off, size_t len,
                    int flags)
{
    static uint8_t buf[65536];
    int fd = open(path, O_WRONLY | flags, 0644);
    if (fd < 0)
        return -1;
    data(seed, i, buf, len);
    int r = pwrite(fd, buf, len, (off_t)off) == (ssize_t)len ? 0 : -1;
    int saved = errno;
    close(fd);
    errno = saved;
    return r;
}

static uint32_t crc32(uint32_t crc, const uint8_t *p, size_t n)
{
    crc = ~crc;
    while (n--) {
        crc ^= *p++;
        for (int k = 0; k < 8; k++)
            crc = (crc >> 1) ^ (0xedb88320u & -(crc & 1));
    }
    return ~crc;
}

static void list(const char *dir, const char *rel)
{
    DIR *d = opendir(dir);
    if (d == NULL) {
        printf("fsops: list %s: %s\n", dir, strerror(errno));
        return;
    }
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char full[512], sub[512];
        snprintf(full, sizeof full, "%s/%s", dir, e->d_name);
        snprintf(sub, sizeof sub, "%s%s%s", rel, *rel ? "/" : "", e->d_name);
        struct stat st;
        if (lstat(full, &st) != 0) {
            printf("fsops: tree %s lstat: %s\n", sub, strerror(errno));
            continue;
        }
        uint32_t crc = 0;
        if (S_ISLNK(st.st_mode)) {
            char target[256];
            ssize_t n = readlink(full, target, sizeof target);
            crc = n > 0 ? crc32(0, (const uint8_t *)target, (size_t)n) : 0;
        } else if (S_ISREG(st.st_mode)) {
            static uint8_t buf[32768];
            int fd = open(full, O_RDONLY);
            ssize_t n;
            while (fd >= 0 && (n = read(fd, buf, sizeof buf)) > 0)
                crc = crc32(crc, buf, (size_t)n);
            close(fd);
        }
        printf("fsops: tree %s %s %ld %u %08lx\n", sub,
               S_ISDIR(st.st_mode)   ? "dir"
               : S_ISLNK(st.st_mode) ? "link"
                                     : "file",
               S_ISDIR(st.st_mode) ? 0L : (long)st.st_size, (unsigned)st.st_nlink,
               (unsigned long)crc);
        if (S_ISDIR(st.st_mode))
            list(full, sub);
    }
    closedir(d);
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: fsops SEED COUNT DIR\n");
        return 2;
    }
    setvbuf(stdout, NULL, _IOFBF, 8192);
    uint32_t seed = (uint32_t)strtoul(argv[1], NULL, 0);
    unsigned count = (unsigned)strtoul(argv[2], NULL, 0);
    const char *dir = argv[3];
    rng = seed | 1;
    if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
        printf("fsops: %s: %s\n", dir, strerror(errno));
        return 1;
    }
    for (uint32_t i = 0; i < count; i++) {
        const char *a = names[next() % NNAMES], *b = names[next() % NNAMES];
        at(path_a, dir, a);
        at(path_b, dir, b);
        uint32_t op = next() % 16;
        int r;
        if (op < 3) { /* create and write */
            size_t len = next() % 5000;
            r = write_at(path_a, seed, i, 0, len, O_CREAT | O_TRUNC);
            printf("fsops: %u create %s %lu = %s\n", i, a, (unsigned long)len, result(r));
        } else if (op < 6) { /* write at a random offset: holes, indirect blocks */
            uint64_t off = next() % 4 == 0 ? next() % (3u << 20) : next() % 70000;
            size_t len = 1 + next() % 20000;
            r = write_at(path_a, seed, i, off, len, 0);
            printf("fsops: %u write %s %lu %lu = %s\n", i, a, (unsigned long)off,
                   (unsigned long)len, result(r));
        } else if (op < 7) {
            uint64_t size = next() % 2 ? next() % 100000 : 0;
            r = truncate(path_a, (off_t)size);
            printf("fsops: %u truncate %s %lu = %s\n", i, a, (unsigned long)size, result(r));
        } else if (op < 9) {
            r = rename(path_a, path_b);
            printf("fsops: %u rename %s %s = %s\n", i, a, b, result(r));
        } else if (op < 10) {
            r = link(path_a, path_b);
            printf("fsops: %u link %s %s = %s\n", i, a, b, result(r));
        } else if (op < 11) {
            r = symlink(b, path_a); /* a target relative to the link's folder, kept as given */
            printf("fsops: %u symlink %s %s = %s\n", i, b, a, result(r));
        } else if (op < 12) {
            r = unlink(path_a);
            printf("fsops: %u unlink %s = %s\n", i, a, result(r));
        } else if (op < 14) {
            r = mkdir(path_a, 0755);
            printf("fsops: %u mkdir %s = %s\n", i, a, result(r));
        } else {
            r = rmdir(path_a);
            printf("fsops: %u rmdir %s = %s\n", i, a, result(r));
        }
    }
    sync();
    list(dir, "");
    printf("fsops: done\n");
    return 0;
}
