/* cat [-u] [FILE...] — copies each FILE (standard input when none, or for
 * "-") to standard output, in order. Output is never buffered, so -u is
 * accepted and changes nothing. A file that cannot be read is reported and
 * skipped; the status is then 1. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static char buf[65536];

/* A write may take fewer bytes than asked, so loop until all are written. */
static int write_all(const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(STDOUT_FILENO, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

static int cat_fd(int fd, const char *name)
{
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n == 0)
            return 0;
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            fprintf(stderr, "cat: %s: %s\n", name, strerror(errno));
            return 1;
        }
        if (write_all(buf, (size_t)n) != 0) {
            fprintf(stderr, "cat: standard output: %s\n", strerror(errno));
            return 1;
        }
    }
}

static int cat_path(const char *path)
{
    if (strcmp(path, "-") == 0)
        return cat_fd(STDIN_FILENO, "-");
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        fprintf(stderr, "cat: %s: %s\n", path, strerror(errno));
        return 1;
    }
    int status = cat_fd(fd, path);
    close(fd);
    return status;
}

int main(int argc, char **argv)
{
    int c;
    while ((c = getopt(argc, argv, "u")) != -1) {
        if (c != 'u') {
            fprintf(stderr, "usage: cat [-u] [FILE...]\n");
            return 2;
        }
    }
    if (optind == argc)
        return cat_fd(STDIN_FILENO, "-");
    int status = 0;
    for (int i = optind; i < argc; i++)
        status |= cat_path(argv[i]);
    return status;
}
