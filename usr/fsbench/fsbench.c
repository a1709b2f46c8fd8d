/* fsbench DIR — what FS's common operations cost, in DIR (made if need be):
 *   copy16    copying a 16 MiB file, 64 KiB at a time
 *   create1k  creating 1,000 files of 100 bytes in one directory
 *   lsl1k     listing that directory with a stat of each entry (ls -l's work)
 *   sync      writing it all to the disk
 * Each line gives the time (the system's clock: emulated under QEMU TCG) and
 * the number of requests to FS, which is exact. tools/bench --fs runs it
 * beside the same work on the host.
 *
 * fsbench scale DIR MODE N OPS — N clients, one on each core 0..N-1, each
 * doing OPS operations at once (FxMark's names): drbl reads 4 KiB of a file
 * of its own again and again, mwcm creates files in one shared directory.
 * Prints the operations per second of all of them together. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <procs.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys.h>
#include <sys/stat.h>
#include <sys/wait.h>
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

/* One client of a scale run: waits for the start, does ops operations,
 * and leaves its end time in DIR/end.ID. */
static int scale_client(const char *mode, unsigned id, unsigned ops, uint64_t start)
{
    char path[300];
    snprintf(path, sizeof path, "%s/own.%u", dir, id);
    int fd = open(path, O_RDWR | O_CREAT, 0644);
    if (fd < 0 || write(fd, buf, 4096) != 4096)
        return fail(path);
    while (sys_now_ns() < start)
        sys_sleep_ns(1000000);
    for (unsigned i = 0; i < ops; i++) {
        if (strcmp(mode, "drbl") == 0) {
            if (pread(fd, buf, 4096, 0) != 4096)
                return fail("pread");
            continue;
        }
        snprintf(path, sizeof path, "%s/shared/c%u.%u", dir, id, i);
        int f = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
        if (f < 0 || close(f) != 0)
            return fail(path);
    }
    uint64_t end = sys_now_ns();
    close(fd);
    snprintf(path, sizeof path, "%s/end.%u", dir, id);
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || write(fd, &end, sizeof end) != sizeof end || close(fd) != 0)
        return fail(path);
    return 0;
}

/* N clients on cores 0..N-1, started together about a second from now. */
static int scale(const char *mode, unsigned n, unsigned ops)
{
    char shared[300], arg[4][24];
    snprintf(shared, sizeof shared, "%s/shared", dir);
    if ((mkdir(dir, 0755) != 0 && errno != EEXIST) || (mkdir(shared, 0755) != 0 && errno != EEXIST))
        return fail(dir);
    uint64_t start = sys_now_ns() + 1000000000ull * (1 + n / 4);
    pid_t *pids = calloc(n, sizeof *pids);
    for (unsigned i = 0; pids != NULL && i < n; i++) {
        snprintf(arg[0], sizeof arg[0], "%u", i);
        snprintf(arg[1], sizeof arg[1], "%u", ops);
        snprintf(arg[2], sizeof arg[2], "%lu", (unsigned long)start);
        char *argv[] = {"fsbench", "client", dir, (char *)mode, arg[0], arg[1], arg[2], NULL};
        if ((pids[i] = spawn_on((int)i, "fsbench", argv, NULL)) < 0)
            return fail("spawn");
    }
    unsigned ok = 0;
    for (unsigned i = 0; pids != NULL && i < n; i++) {
        int status;
        ok += waitpid(pids[i], &status, 0) == pids[i] && status == 0;
    }
    uint64_t last = start;
    for (unsigned i = 0; i < n; i++) {
        char path[300];
        uint64_t end = 0;
        snprintf(path, sizeof path, "%s/end.%u", dir, i);
        int fd = open(path, O_RDONLY);
        if (fd >= 0 && read(fd, &end, sizeof end) == sizeof end && end > last)
            last = end;
        close(fd);
    }
    free(pids);
    if (ok != n) {
        printf("fsbench: %u of %u clients failed\n", n - ok, n);
        return 1;
    }
    uint64_t ns = last - start;
    printf("fsbench scale %s %u clients %lu ops %lu ns %lu ops/s\n", mode, n,
           (unsigned long)n * ops, (unsigned long)ns,
           (unsigned long)((uint64_t)n * ops * 1000000000ull / (ns ? ns : 1)));
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 7 && strcmp(argv[1], "client") == 0) {
        snprintf(dir, sizeof dir, "%s", argv[2]);
        return scale_client(argv[3], (unsigned)atoi(argv[4]), (unsigned)atoi(argv[5]),
                            strtoull(argv[6], NULL, 10));
    }
    if (argc == 6 && strcmp(argv[1], "scale") == 0) {
        setvbuf(stdout, NULL, _IOLBF, BUFSIZ);
        snprintf(dir, sizeof dir, "%s", argv[2]);
        unsigned n = (unsigned)atoi(argv[4]), ops = (unsigned)atoi(argv[5]);
        if ((strcmp(argv[3], "drbl") != 0 && strcmp(argv[3], "mwcm") != 0) || n == 0 || ops == 0)
            return 2;
        return scale(argv[3], n, ops);
    }
    if (argc != 2) {
        fprintf(stderr, "usage: fsbench DIR | fsbench scale DIR drbl|mwcm CLIENTS OPS\n");
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
