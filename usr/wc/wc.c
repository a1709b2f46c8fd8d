/* wc [-lwc] [FILE...] — counts the newlines, words (runs of bytes that are
 * not white space) and bytes of each FILE (standard input when none, or for
 * "-"), all three unless options pick some, in that order. Prints the counts
 * separated by one blank (POSIX's format, not GNU's padded columns), then the
 * name; a "total" line when there are several files. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct counts {
    unsigned long lines, words, bytes;
};

static bool show_lines, show_words, show_bytes;

static int count_fd(int fd, const char *name, struct counts *c)
{
    static unsigned char buf[65536];
    bool in_word = false;
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n == 0)
            return 0;
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            fprintf(stderr, "wc: %s: %s\n", name, strerror(errno));
            return 1;
        }
        c->bytes += (unsigned long)n;
        for (ssize_t i = 0; i < n; i++) {
            if (buf[i] == '\n')
                c->lines++;
            if (isspace(buf[i])) {
                in_word = false;
            } else if (!in_word) {
                in_word = true;
                c->words++;
            }
        }
    }
}

static void print(const struct counts *c, const char *name)
{
    const char *sep = "";
    if (show_lines) {
        printf("%lu", c->lines);
        sep = " ";
    }
    if (show_words) {
        printf("%s%lu", sep, c->words);
        sep = " ";
    }
    if (show_bytes)
        printf("%s%lu", sep, c->bytes);
    if (name)
        printf(" %s", name);
    putchar('\n');
}

static int count_path(const char *path, struct counts *total)
{
    struct counts c = {0, 0, 0};
    int fd = strcmp(path, "-") == 0 ? STDIN_FILENO : open(path, O_RDONLY);
    if (fd < 0) {
        fprintf(stderr, "wc: %s: %s\n", path, strerror(errno));
        return 1;
    }
    int status = count_fd(fd, path, &c);
    if (fd != STDIN_FILENO)
        close(fd);
    if (status == 0) {
        print(&c, path);
        total->lines += c.lines;
        total->words += c.words;
        total->bytes += c.bytes;
    }
    return status;
}

int main(int argc, char **argv)
{
    int opt;
    while ((opt = getopt(argc, argv, "lwc")) != -1) {
        switch (opt) {
        case 'l':
            show_lines = true;
            break;
        case 'w':
            show_words = true;
            break;
        case 'c':
            show_bytes = true;
            break;
        default:
            fprintf(stderr, "usage: wc [-lwc] [FILE...]\n");
            return 2;
        }
    }
    if (!show_lines && !show_words && !show_bytes)
        show_lines = show_words = show_bytes = true;
    struct counts total = {0, 0, 0};
    int status = 0;
    if (optind == argc) {
        status = count_fd(STDIN_FILENO, "-", &total);
        if (status == 0)
            print(&total, NULL);
    }
    for (int i = optind; i < argc; i++)
        status |= count_path(argv[i], &total);
    if (argc - optind > 1)
        print(&total, "total");
    return fflush(stdout) == 0 && status == 0 ? 0 : 1;
}
