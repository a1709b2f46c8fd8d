/* head [-n N] [FILE...] — copies the first N lines (10 unless -n says) of
 * each FILE (standard input when none, or for "-") to standard output. With
 * several files, each is headed by "==> FILE <==", as POSIX asks. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int head_file(FILE *f, const char *name, unsigned long n)
{
    int c;
    for (unsigned long lines = 0; lines < n && (c = getc(f)) != EOF;) {
        putchar(c);
        if (c == '\n')
            lines++;
    }
    if (ferror(f)) {
        fprintf(stderr, "head: %s: %s\n", name, strerror(errno));
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    unsigned long n = 10;
    int opt;
    while ((opt = getopt(argc, argv, "n:")) != -1) {
        char *end;
        if (opt == 'n' && optarg[0] >= '0' && optarg[0] <= '9' &&
            (n = strtoul(optarg, &end, 10), *end == '\0'))
            continue;
        fprintf(stderr, "usage: head [-n N] [FILE...]\n");
        return 2;
    }
    if (optind == argc)
        return head_file(stdin, "-", n);
    int status = 0;
    bool first = true;
    for (int i = optind; i < argc; i++) {
        bool is_stdin = strcmp(argv[i], "-") == 0;
        FILE *f = is_stdin ? stdin : fopen(argv[i], "r");
        if (!f) {
            fprintf(stderr, "head: %s: %s\n", argv[i], strerror(errno));
            status = 1;
            continue;
        }
        if (argc - optind > 1)
            printf("%s==> %s <==\n", first ? "" : "\n", is_stdin ? "standard input" : argv[i]);
        first = false;
        status |= head_file(f, argv[i], n);
        if (!is_stdin)
            fclose(f);
    }
    return fflush(stdout) == 0 && status == 0 ? 0 : 1;
}
