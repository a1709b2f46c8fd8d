/* fsbench DIR — what FS's common operations cost, in DIR (made if need be):
 *   copy16    copying a 16 MiB file, 64 KiB at a time
 *   create1k  creating 1,000 files of 100 bytes in one directory
 *   lsl1k     listing that directory with a stat of each entry (ls -l's work)
 *   sync      writing it all to the disk
 * Each line gives the time (the system's clock: emulated under QEMU TCG) and
 * the number of requests to FS, which is exact. tools/bench --fs runs it
 * beside the same work on the host. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys.h>
#include <sys/stat.h>
#include <unistd.h>

#define CHUNK     (64 * 1024)
#define COPY_MIB  16
#define FILES     1000
#define FILE_SIZE 100

static uint8_t buf[CHUNK];
static char dir[256];

static void report(const char *what, uint64_t start, unsigned long requests)
{
    printf("fsbench %s %lu ns %lu requests\n", what, (unsigned long)(sys_now_ns() - start),
           requests);
}

static int fail(const char *what)
{
    printf("fsbench: %s: %s\n", what, strerror(errno));
    return 1;
}

static int copy(void)
{
    char src[300], dst[300];
    snprintf(src, sizeof src, "%s/src", dir);
    snprintf(dst, sizeof dst, "%s/dst", dir);
    int in = open(src, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    for (unsigned i = 0; in >= 0 && i < COPY_MIB * 1024 * 1024 / CHUNK; i++) {
        memset(buf, (int)i, sizeof buf);
        if (write(in, buf, CHUNK) != CHUNK)
            return fail("write");
    }
    if (in < 0 || close(in) != 0)
        return fail(src);
    uint64_t start = sys_now_ns();
    unsigned long requests = 4; /* two opens, two closes */
    in = open(src, O_RDONLY);
    int out = open(dst, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (in < 0 || out < 0)
        return fail("open");
    ssize_t n;
    while ((n = read(in, buf, CHUNK)) > 0) {
        if (write(out, buf, (size_t)n) != n)
            return fail("write");
        requests += 2;
    }
    requests++; /* the read that found the end */
    close(in);
    close(out);
    report("copy16", start, requests);
    return n < 0 ? fail("read") : 0;
}

static int create(void)
{
    char path[300];
    memset(buf, 'x', FILE_SIZE);
    uint64_t start = sys_now_ns();
    for (unsigned i = 0; i < FILES; i++) {
        snprintf(path, sizeof path, "%s/many/f%04u", dir, i);
        int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
        if (fd < 0 || write(fd, buf, FILE_SIZE) != FILE_SIZE || close(fd) != 0)
            return fail(path);
    }
    report("create1k", start, 3ul * FILES);
    return 0;
}

static int list(void)
{
    char path[600], many[300];
    snprintf(many, sizeof many, "%s/many", dir);
    uint64_t start = sys_now_ns();
    unsigned long requests = 2, entries = 0; /* the open and close of the directory */
    DIR *d = opendir(many);
    if (d == NULL)
        return fail(many);
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", many, e->d_name);
        if (lstat(path, &st) != 0)
            return fail(path);
        entries++;
    }
    closedir(d);
    /* readdir asks for 4 KiB of entries at a time, and FS packs each of
     * these names ("f0000", ".", "..") into 24 bytes; one more finds the end. */
    unsigned long batches = (entries * 24 + 4095) / 4096 + 1;
    report("lsl1k", start, requests + entries + batches);
    return entries == FILES + 2 ? 0 : (printf("fsbench: %lu entries\n", entries), 1);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: fsbench DIR\n");
        return 2;
    }
    setvbuf(stdout, NULL, _IOLBF, BUFSIZ);
    snprintf(dir, sizeof dir, "%s", argv[1]);
    char many[300];
    snprintf(many, sizeof many, "%s/many", dir);
    if ((mkdir(dir, 0755) != 0 && errno != EEXIST) || mkdir(many, 0755) != 0)
        return fail(dir);
    if (copy() != 0 || create() != 0 || list() != 0)
        return 1;
    uint64_t start = sys_now_ns();
    sync();
    report("sync", start, 1);
    return 0;
}
