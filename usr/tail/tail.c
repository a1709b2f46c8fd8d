/* tail [-n [+]N] [FILE...] — copies the last N lines (10 unless -n says) of
 * each FILE (standard input when none, or for "-") to standard output; with
 * +N, everything from line N on. It reads the whole input into memory and
 * never seeks, so pipes work as well as files. A last line without a newline
 * counts as a line. Several files are headed by "==> FILE <==". */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *data;
static size_t cap;

/* Reads all of fd into data; returns its length, or -1 with errno set. */
static ssize_t slurp(int fd)
{
    size_t len = 0;
    for (;;) {
        if (len == cap) {
            size_t ncap = cap ? 2 * cap : 65536;
            char *p = realloc(data, ncap);
            if (!p) {
                errno = ENOMEM;
                return -1;
            }
            data = p;
            cap = ncap;
        }
        ssize_t n = read(fd, data + len, cap - len);
        if (n == 0)
            return (ssize_t)len;
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        len += (size_t)n;
    }
}

/* Where the output starts: after the n-th newline from the end (the newline
 * that ends the last line does not count), or at line n with +N. */
static size_t start_of(size_t len, unsigned long n, bool from_start)
{
    if (from_start) {
        size_t i = 0;
        for (unsigned long line = 1; line < n && i < len; i++) {
            if (data[i] == '\n')
                line++;
        }
        return i;
    }
    if (n == 0)
        return len;
    size_t i = len;
    if (i > 0 && data[i - 1] == '\n')
        i--;
    unsigned long lines = 0;
    for (; i > 0; i--) {
        if (data[i - 1] == '\n' && ++lines == n)
            return i;
    }
    return 0;
}

/* With headed set, the output is headed by the file's name (not for a file
 * that cannot be read), and separated from the one before by a blank line. */
static int tail_path(const char *path, unsigned long n, bool from_start, bool headed)
{
    static bool first = true;
    bool is_stdin = strcmp(path, "-") == 0;
    int fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY);
    if (fd < 0) {
        fprintf(stderr, "tail: %s: %s\n", path, strerror(errno));
        return 1;
    }
    ssize_t len = slurp(fd);
    int err = errno;
    if (!is_stdin)
        close(fd);
    if (len < 0) {
        fprintf(stderr, "tail: %s: %s\n", path, strerror(err));
        return 1;
    }
    if (headed)
        printf("%s==> %s <==\n", first ? "" : "\n", is_stdin ? "standard input" : path);
    first = false;
    size_t start = start_of((size_t)len, n, from_start);
    fwrite(data + start, 1, (size_t)len - start, stdout);
    return 0;
}

int main(int argc, char **argv)
{
    unsigned long n = 10;
    bool from_start = false;
    int opt;
    while ((opt = getopt(argc, argv, "n:")) != -1) {
        char *end, *num = optarg;
        if (opt == 'n' && (from_start = *num == '+'))
            num++;
        if (opt == 'n' && *num >= '0' && *num <= '9' && (n = strtoul(num, &end, 10), *end == '\0'))
            continue;
        fprintf(stderr, "usage: tail [-n [+]N] [FILE...]\n");
        return 2;
    }
    if (optind == argc)
        return tail_path("-", n, from_start, false);
    int status = 0;
    for (int i = optind; i < argc; i++)
        status |= tail_path(argv[i], n, from_start, argc - optind > 1);
    return fflush(stdout) == 0 && status == 0 ? 0 : 1;
}
