/* fscrash DIR — a write workload to be killed at a random moment (the crash
 * test in tests/boot/fs_cases.py). Forever: writes a file sN of random size
 * and fsyncs it, then says "fscrash: synced sN SIZE CRC"; between those it
 * churns other files (creates, appends, truncates, renames, removes) that it
 * never syncs. A synced file is never touched again: after the kill, every
 * file it said was synced must be on the disk as it said. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static uint32_t rng = 12345;

static uint32_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng;
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

static uint8_t buf[200000];

static void fill(size_t len)
{
    for (size_t i = 0; i < len; i++)
        buf[i] = (uint8_t)next();
}

static void churn(const char *dir)
{
    char a[256], b[256];
    snprintf(a, sizeof a, "%s/junk%u", dir, next() % 8);
    snprintf(b, sizeof b, "%s/junk%u", dir, next() % 8);
    size_t len = next() % 50000;
    fill(len);
    int fd;
    switch (next() % 4) {
    case 0:
        fd = open(a, O_WRONLY | O_CREAT | O_APPEND, 0644);
        if (fd >= 0) {
            (void)!write(fd, buf, len);
            close(fd);
        }
        break;
    case 1:
        (void)truncate(a, next() % 100000);
        break;
    case 2:
        (void)rename(a, b);
        break;
    default:
        (void)unlink(a);
    }
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: fscrash DIR\n");
        return 2;
    }
    setvbuf(stdout, NULL, _IOLBF, BUFSIZ);
    const char *dir = argv[1];
    if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
        printf("fscrash: %s: %s\n", dir, strerror(errno));
        return 1;
    }
    char path[256];
    for (unsigned n = 0;; n++) {
        for (unsigned k = next() % 4; k > 0; k--)
            churn(dir);
        size_t len = next() % sizeof buf;
        fill(len);
        snprintf(path, sizeof path, "%s/s%u", dir, n);
        int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
        if (fd < 0 || write(fd, buf, len) != (ssize_t)len || fsync(fd) != 0 || close(fd) != 0) {
            printf("fscrash: %s: %s\n", path, strerror(errno));
            return 1;
        }
        printf("fscrash: synced s%u %lu %08lx\n", n, (unsigned long)len,
               (unsigned long)crc32(0, buf, len));
    }
}
