/* fs_probe — the POSIX file calls against FS, each with the result POSIX
 * (and Linux) gives, in a directory DIR it makes (argument 1, e.g. /tmp or
 * /mnt): files, positions, holes, directories, links, renames, the errors
 * each refusal must give; a pipe between this program and a child; then
 * malformed requests to FS on a channel of its own, each answered with an
 * error while FS goes on serving. "fs_probe sum PATH" prints a file's size
 * and CRC-32 instead; "fs_probe child" is the child's part of the pipe test. */
#include <chan.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grant.h>
#include <procs.h>
#include <proto/fs.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

static int checks, failures;
static char dir[256];

static void check(bool ok, const char *what)
{
    checks++;
    failures += !ok;
    printf("fs_probe: %s %s\n", ok ? "ok" : "FAIL", what);
    if (!ok)
        printf("fs_probe:   errno %d (%s)\n", errno, strerror(errno));
}

/* Whether call gave -1 with errno e. */
#define FAILS_WITH(call, e) ((errno = 0, (call)) == -1 && errno == (e))

static const char *at(const char *name)
{
    static char paths[4][512];
    static int next;
    char *p = paths[next++ % 4];
    snprintf(p, sizeof paths[0], "%s/%s", dir, name);
    return p;
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

static int sum(const char *path)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        printf("fs_probe: %s: %s\n", path, strerror(errno));
        return 1;
    }
    static uint8_t buf[32768];
    uint32_t crc = 0;
    unsigned long size = 0;
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0) {
        crc = crc32(crc, buf, (size_t)n);
        size += (unsigned long)n;
    }
    close(fd);
    printf("fs_probe: sum %s %lu %08lx\n", path, size, (unsigned long)crc);
    return n < 0;
}

static void files(void)
{
    int fd = open(at("a"), O_WRONLY | O_CREAT | O_EXCL, 0644);
    check(fd >= 0, "open O_CREAT|O_EXCL makes a file");
    check(write(fd, "hello, world\n", 13) == 13, "write 13 bytes");
    check(FAILS_WITH(read(fd, (char[4]){0}, 4), EBADF), "read of a write-only file: EBADF");
    check(close(fd) == 0, "close");
    check(FAILS_WITH(close(fd), EBADF), "close again: EBADF");
    check(FAILS_WITH(open(at("a"), O_WRONLY | O_CREAT | O_EXCL, 0644), EEXIST),
          "O_EXCL of an existing file: EEXIST");
    check(FAILS_WITH(open(at("none"), O_RDONLY), ENOENT), "open of nothing: ENOENT");
    fd = open(at("a"), O_RDWR);
    char buf[64] = {0};
    check(read(fd, buf, sizeof buf) == 13 && memcmp(buf, "hello, world\n", 13) == 0,
          "read back what was written");
    check(read(fd, buf, sizeof buf) == 0, "read at the end: 0");
    check(lseek(fd, 7, SEEK_SET) == 7 && read(fd, buf, 5) == 5 && memcmp(buf, "world", 5) == 0,
          "lseek and read");
    check(pwrite(fd, "W", 1, 7) == 1 && pread(fd, buf, 5, 7) == 5 && memcmp(buf, "World", 5) == 0 &&
              lseek(fd, 0, SEEK_CUR) == 12,
          "pread and pwrite leave the position");
    check(lseek(fd, 100000, SEEK_SET) == 100000 && write(fd, "x", 1) == 1, "write past the end");
    struct stat st;
    check(fstat(fd, &st) == 0 && st.st_size == 100001 && S_ISREG(st.st_mode), "fstat: size");
    check(pread(fd, buf, 8, 50000) == 8 && memcmp(buf, "\0\0\0\0\0\0\0\0", 8) == 0,
          "a hole reads as zeros");
    check(FAILS_WITH(lseek(fd, -1, SEEK_SET), EINVAL), "lseek before 0: EINVAL");
    check(ftruncate(fd, 5) == 0 && fstat(fd, &st) == 0 && st.st_size == 5, "ftruncate");
    check(lseek(fd, 1000, SEEK_SET) == 1000 && write(fd, "", 0) == 0 &&
              pwrite(fd, "", 0, 2000) == 0 && fstat(fd, &st) == 0 && st.st_size == 5,
          "a write of nothing past the end leaves the size");
    check(close(fd) == 0, "close");
    fd = open(at("a"), O_WRONLY | O_APPEND);
    check(write(fd, "++", 2) == 2 && close(fd) == 0 && stat(at("a"), &st) == 0 && st.st_size == 7,
          "O_APPEND writes at the end");
    fd = open(at("a"), O_WRONLY | O_TRUNC);
    check(fd >= 0 && fstat(fd, &st) == 0 && st.st_size == 0 && close(fd) == 0, "O_TRUNC");
    check(truncate(at("a"), 3000) == 0 && stat(at("a"), &st) == 0 && st.st_size == 3000,
          "truncate grows");
    int d = dup(0), e = open(at("a"), O_RDONLY);
    check(d >= 0 && e > d, "dup and open take the lowest free descriptors");
    check(dup2(e, d) == d && lseek(d, 10, SEEK_SET) == 10 && lseek(e, 0, SEEK_CUR) == 10,
          "dup2: one position for both");
    check(close(d) == 0 && close(e) == 0, "close both");
    check(FAILS_WITH(dup2(99, 5), EBADF), "dup2 of nothing: EBADF");
    fd = open(at("orphan"), O_RDWR | O_CREAT, 0600);
    check(fd >= 0 && write(fd, "still here", 10) == 10 && unlink(at("orphan")) == 0,
          "unlink of an open file");
    check(FAILS_WITH(stat(at("orphan"), &st), ENOENT), "its name is gone");
    check(fstat(fd, &st) == 0 && st.st_nlink == 0 && pwrite(fd, "!", 1, 10) == 1 &&
              pread(fd, buf, 11, 0) == 11 && memcmp(buf, "still here!", 11) == 0,
          "an unlinked open file still reads and writes");
    check(close(fd) == 0, "and goes at its last close");
}

static void directories(void)
{
    struct stat st;
    check(mkdir(at("d"), 0755) == 0 && stat(at("d"), &st) == 0 && S_ISDIR(st.st_mode) &&
              st.st_nlink == 2,
          "mkdir");
    check(FAILS_WITH(mkdir(at("d"), 0755), EEXIST), "mkdir again: EEXIST");
    check(FAILS_WITH(mkdir(at("none/x"), 0755), ENOENT), "mkdir under nothing: ENOENT");
    check(FAILS_WITH(mkdir(at("a/x"), 0755), ENOTDIR), "mkdir under a file: ENOTDIR");
    check(FAILS_WITH(open(at("d"), O_WRONLY), EISDIR), "a directory for writing: EISDIR");
    int dfd = open(at("d"), O_RDONLY);
    check(dfd >= 0 && FAILS_WITH(read(dfd, (char[8]){0}, 8), EISDIR) && close(dfd) == 0,
          "read of a directory: EISDIR");
    check(FAILS_WITH(unlink(at("d")), EISDIR), "unlink of a directory: EISDIR");
    int fd = open(at("d/f"), O_WRONLY | O_CREAT, 0600);
    check(fd >= 0 && close(fd) == 0, "a file in it");
    check(FAILS_WITH(rmdir(at("d")), ENOTEMPTY), "rmdir of a full directory: ENOTEMPTY");
    check(FAILS_WITH(rmdir(at("a")), ENOTDIR), "rmdir of a file: ENOTDIR");
    check(rename(at("d/f"), at("moved")) == 0 && stat(at("moved"), &st) == 0 &&
              FAILS_WITH(stat(at("d/f"), &st), ENOENT),
          "rename across directories");
    check(rename(at("moved"), at("a")) == 0 && stat(at("a"), &st) == 0 && st.st_size == 0,
          "rename over an existing file");
    check(FAILS_WITH(rename(at("d"), at("d/below")), EINVAL), "a directory below itself: EINVAL");
    check(FAILS_WITH(rename(at("d"), at("a")), ENOTDIR), "a directory over a file: ENOTDIR");
    check(link(at("a"), at("b")) == 0 && stat(at("a"), &st) == 0 && st.st_nlink == 2, "link");
    check(FAILS_WITH(link(at("d"), at("dl")), EPERM), "link of a directory: EPERM");
    check(symlink("a", at("s")) == 0, "symlink");
    char buf[64];
    ssize_t n = readlink(at("s"), buf, sizeof buf);
    check(n == 1 && buf[0] == 'a', "readlink");
    check(lstat(at("s"), &st) == 0 && S_ISLNK(st.st_mode) && stat(at("s"), &st) == 0 &&
              S_ISREG(st.st_mode),
          "lstat sees the link, stat its target");
    check(symlink("loop", at("loop")) == 0 && FAILS_WITH(open(at("loop"), O_RDONLY), ELOOP),
          "a link to itself: ELOOP");
    check(FAILS_WITH(open(at("s"), O_RDONLY | O_NOFOLLOW), ELOOP), "O_NOFOLLOW of a link: ELOOP");
    check(chdir(dir) == 0 && stat("a", &st) == 0 && stat("./d/../a", &st) == 0,
          "relative paths from the working directory");
    char cwd[256];
    check(getcwd(cwd, sizeof cwd) != NULL && strcmp(cwd, dir) == 0, "getcwd");
    check(FAILS_WITH(chdir("a"), ENOTDIR), "chdir to a file: ENOTDIR");
    check(chmod("a", 0640) == 0 && stat("a", &st) == 0 && (st.st_mode & 0777) == 0640, "chmod");
    check(access("a", F_OK) == 0 && FAILS_WITH(access("none", F_OK), ENOENT), "access");
    int seen = 0;
    DIR *dp = opendir(".");
    for (struct dirent *e; dp != NULL && (e = readdir(dp)) != NULL;)
        seen |= (strcmp(e->d_name, "a") == 0) << 0 | (strcmp(e->d_name, "b") == 0) << 1 |
                (strcmp(e->d_name, "d") == 0 && e->d_type == DT_DIR) << 2 |
                (strcmp(e->d_name, "s") == 0 && e->d_type == DT_LNK) << 3 |
                (strcmp(e->d_name, "..") == 0) << 4;
    check(dp != NULL && closedir(dp) == 0 && seen == 31, "readdir lists every entry and its type");
    check(unlink("b") == 0 && unlink("s") == 0 && unlink("loop") == 0 && rmdir("d") == 0 &&
              unlink("a") == 0,
          "unlink and rmdir");
    struct statvfs vfs;
    check(statvfs(dir, &vfs) == 0 && vfs.f_bsize > 0 && vfs.f_namemax == 255, "statvfs");
    check(chdir("/") == 0, "chdir /");
}

/* A child on another core writes into a pipe this program reads. */
static void pipes(void)
{
    int p[2];
    check(pipe(p) == 0, "pipe");
    fflush(stdout);
    /* Nothing is printed while stdout is the pipe. */
    int saved = fcntl(1, F_DUPFD_CLOEXEC, 10);
    bool moved = saved >= 10 && dup2(p[1], 1) == 1 && close(p[1]) == 0 &&
                 fcntl(p[0], F_SETFD, FD_CLOEXEC) == 0;
    char *argv[] = {"fs_probe", "child", NULL};
    pid_t pid = spawn_on(CORE_ANY, "fs_probe", argv, NULL);
    bool back = dup2(saved, 1) == 1 && close(saved) == 0;
    check(moved && back, "the pipe's write end as stdout, and back");
    check(pid > 0, "a child with the pipe as its stdout");
    static char got[40000];
    size_t have = 0;
    ssize_t n;
    while ((n = read(p[0], got + have, sizeof got - have)) > 0)
        have += (size_t)n;
    int status = -1;
    check(waitpid(pid, &status, 0) == pid && status == 0, "the child ended well");
    bool same = have == 30000;
    for (size_t i = 0; same && i < have; i++)
        same = got[i] == (char)('a' + i % 26);
    check(same, "30,000 bytes came through the pipe, then its end");
    check(close(p[0]) == 0, "close the read end");
    int q[2];
    check(pipe(q) == 0 && close(q[0]) == 0 && FAILS_WITH(write(q[1], "x", 1), EPIPE) &&
              close(q[1]) == 0,
          "a write without a reader: EPIPE");
    check(pipe(q) == 0 && FAILS_WITH(lseek(q[0], 0, SEEK_SET), ESPIPE) && close(q[0]) == 0 &&
              close(q[1]) == 0,
          "lseek of a pipe: ESPIPE");
}

static int child(void)
{
    static char out[30000];
    for (size_t i = 0; i < sizeof out; i++)
        out[i] = (char)('a' + i % 26);
    return write(1, out, sizeof out) == (ssize_t)sizeof out ? 0 : 1;
}

/* Requests on a channel of its own that FS must refuse. */
static void bad_requests(void)
{
    struct chan c;
    struct grant g;
    check(chan_connect(FS_NAME, &c, 1000000000ull) == OK, "a channel of its own");
    msg_t m = {.type = FS_OPEN, .len = sizeof(struct fs_open)}, r;
    struct fs_open *o = msg_payload(&m, struct fs_open);
    *o = (struct fs_open){.path = {0, 4}, .flags = FS_O_READ};
    check(chan_call(&c, &m, &r) == OK && r.type == ERR_NOENT, "a path without a grant: ERR_NOENT");
    check(grant_offer(&c, 8192, &g) == OK, "a grant");
    memcpy((char *)g.va, "/tmp", 4);
    o->path = (struct fs_path){8190, 4};
    check(chan_call(&c, &m, &r) == OK && r.type == ERR_RANGE, "a path past the grant: ERR_RANGE");
    o->path = (struct fs_path){0, FS_PATH_MAX + 1};
    check(chan_call(&c, &m, &r) == OK && r.type == ERR_LONGNAME, "a path too long");
    o->path = (struct fs_path){0, 4};
    o->flags = 0x10000;
    check(chan_call(&c, &m, &r) == OK && r.type == ERR_INVAL, "unknown flags: ERR_INVAL");
    memcpy((char *)g.va, "tmp", 3);
    o->path = (struct fs_path){0, 3};
    o->flags = FS_O_READ;
    check(chan_call(&c, &m, &r) == OK && r.type == ERR_INVAL, "a relative path: ERR_INVAL");
    memcpy((char *)g.va, "/t\0p", 4);
    o->path = (struct fs_path){0, 4};
    check(chan_call(&c, &m, &r) == OK && r.type == ERR_INVAL, "a NUL inside: ERR_INVAL");
    m = (msg_t){.type = FS_READ, .len = sizeof(struct fs_io)};
    *msg_payload(&m, struct fs_io) = (struct fs_io){.handle = 0x12345678900ull, .bytes = 10};
    check(chan_call(&c, &m, &r) == OK && r.type == ERR_BADF, "a handle never given: ERR_BADF");
    m = (msg_t){.type = FS_ADOPT, .len = sizeof(struct fs_handle)};
    *msg_payload(&m, struct fs_handle) = (struct fs_handle){1ull << 32};
    check(chan_call(&c, &m, &r) == OK && r.type == ERR_BADF, "adopting what nobody lent: ERR_BADF");
    m = (msg_t){.type = FS_READ, .len = 3};
    check(chan_call(&c, &m, &r) == OK && r.type == ERR_TRUNCATED, "a short request");
    m = (msg_t){.type = 0xbff, .len = 0};
    check(chan_call(&c, &m, &r) == OK && r.type == ERR_NOSYS, "an unknown type: ERR_NOSYS");
    memcpy((char *)g.va, "/", 1);
    m = (msg_t){.type = FS_OPEN, .len = sizeof(struct fs_open)};
    *msg_payload(&m, struct fs_open) = (struct fs_open){.path = {0, 1}, .flags = FS_O_READ};
    check(chan_call(&c, &m, &r) == OK && r.type == OK, "FS still answers");
    grant_drop(&g);
    chan_drop(&c);
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, BUFSIZ);
    if (argc == 2 && strcmp(argv[1], "child") == 0)
        return child();
    if (argc == 3 && strcmp(argv[1], "sum") == 0)
        return sum(argv[2]);
    snprintf(dir, sizeof dir, "%s/probe", argc > 1 ? argv[1] : "/tmp");
    check(mkdir(dir, 0755) == 0, "a directory of its own");
    files();
    directories();
    pipes();
    bad_requests();
    check(rmdir(dir) == 0, "its directory goes");
    sync();
    printf("fs_probe: %d checks, %d failed\n", checks, failures);
    return failures != 0;
}
