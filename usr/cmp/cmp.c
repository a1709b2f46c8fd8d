/* cmp [-s] FILE1 FILE2 — compares two files ("-" is standard input) byte by
 * byte. At the first difference prints "FILE1 FILE2 differ: byte N, line M"
 * (N and M count from 1) and exits 1; if one file is a prefix of the other,
 * says "cmp: EOF on SHORTER after byte N" on standard error and exits 1.
 * -s prints nothing. Exits 0 when they are the same, 2 on an error. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static FILE *open_arg(const char *path)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
    if (!f)
        fprintf(stderr, "cmp: %s: %s\n", path, strerror(errno));
    return f;
}

int main(int argc, char **argv)
{
    bool silent = false;
    int opt;
    while ((opt = getopt(argc, argv, "s")) != -1) {
        if (opt != 's') {
            fprintf(stderr, "usage: cmp [-s] FILE1 FILE2\n");
            return 2;
        }
        silent = true;
    }
    if (argc - optind != 2) {
        fprintf(stderr, "usage: cmp [-s] FILE1 FILE2\n");
        return 2;
    }
    const char *name[2] = {argv[optind], argv[optind + 1]};
    FILE *f[2] = {open_arg(name[0]), open_arg(name[1])};
    if (!f[0] || !f[1])
        return 2;
    unsigned long byte = 0, line = 1;
    for (;;) {
        int a = getc(f[0]), b = getc(f[1]);
        for (int i = 0; i < 2; i++) {
            if (ferror(f[i])) {
                fprintf(stderr, "cmp: %s: %s\n", name[i], strerror(errno));
                return 2;
            }
        }
        if (a == EOF && b == EOF)
            return 0;
        if (a == EOF || b == EOF) {
            if (!silent)
                fprintf(stderr, "cmp: EOF on %s after byte %lu\n", name[a == EOF ? 0 : 1], byte);
            return 1;
        }
        byte++;
        if (a != b) {
            if (!silent)
                printf("%s %s differ: byte %lu, line %lu\n", name[0], name[1], byte, line);
            return 1;
        }
        if (a == '\n')
            line++;
    }
}
