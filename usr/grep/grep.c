/* grep [-cvF] PATTERN [FILE...] — prints the lines of each FILE (standard
 * input when none, or for "-") that contain PATTERN, a fixed string (there
 * are no regular expressions; -F is accepted for that reason). -v selects
 * the lines that do not contain it, -c prints only how many lines were
 * selected. With several files each line is prefixed by "FILE:". Exits 0
 * when some line was selected, 1 when none was, 2 on an error (as POSIX
 * asks, since 1 already means "no match"). */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static bool count_only, invert, prefix;
static const char *pattern;
static size_t pattern_len;

/* Lines may hold NUL bytes, so search by length, not with strstr. */
static bool contains(const char *line, size_t len)
{
    if (pattern_len == 0)
        return true;
    for (size_t i = 0; i + pattern_len <= len; i++) {
        if (line[i] == pattern[0] && memcmp(line + i, pattern, pattern_len) == 0)
            return true;
    }
    return false;
}

/* Reads a line, with its newline if it has one, into *line (grown as
 * needed); returns its length, 0 at the end. (newlib has no getline.) */
static size_t read_line(FILE *f, char **line, size_t *cap)
{
    size_t len = 0;
    int c;
    while ((c = getc(f)) != EOF) {
        if (len == *cap) {
            size_t ncap = *cap ? 2 * *cap : 256;
            char *p = realloc(*line, ncap);
            if (!p) {
                fprintf(stderr, "grep: %s\n", strerror(ENOMEM));
                exit(2);
            }
            *line = p;
            *cap = ncap;
        }
        (*line)[len++] = (char)c;
        if (c == '\n')
            break;
    }
    return len;
}

/* Returns how many lines were selected, or -1 on a read error. */
static long grep_file(FILE *f, const char *name)
{
    char *line = NULL;
    size_t cap = 0, n;
    long selected = 0;
    while ((n = read_line(f, &line, &cap)) > 0) {
        if (line[n - 1] == '\n')
            n--;
        if (contains(line, n) == invert)
            continue;
        selected++;
        if (count_only)
            continue;
        if (prefix)
            printf("%s:", name);
        fwrite(line, 1, n, stdout);
        putchar('\n');
    }
    free(line);
    if (ferror(f)) {
        fprintf(stderr, "grep: %s: %s\n", name, strerror(errno));
        return -1;
    }
    if (count_only && prefix)
        printf("%s:", name);
    if (count_only)
        printf("%ld\n", selected);
    return selected;
}

int main(int argc, char **argv)
{
    int opt;
    while ((opt = getopt(argc, argv, "cvF")) != -1) {
        if (opt == 'c') {
            count_only = true;
        } else if (opt == 'v') {
            invert = true;
        } else if (opt != 'F') {
            fprintf(stderr, "usage: grep [-cvF] PATTERN [FILE...]\n");
            return 2;
        }
    }
    if (optind == argc) {
        fprintf(stderr, "usage: grep [-cvF] PATTERN [FILE...]\n");
        return 2;
    }
    pattern = argv[optind++];
    pattern_len = strlen(pattern);
    prefix = argc - optind > 1;
    bool matched = false, failed = false;
    if (optind == argc) {
        long n = grep_file(stdin, "(standard input)");
        matched = n > 0;
        failed = n < 0;
    }
    for (int i = optind; i < argc; i++) {
        bool is_stdin = strcmp(argv[i], "-") == 0;
        FILE *f = is_stdin ? stdin : fopen(argv[i], "r");
        if (!f) {
            fprintf(stderr, "grep: %s: %s\n", argv[i], strerror(errno));
            failed = true;
            continue;
        }
        long n = grep_file(f, is_stdin ? "(standard input)" : argv[i]);
        matched |= n > 0;
        failed |= n < 0;
        if (!is_stdin)
            fclose(f);
    }
    if (fflush(stdout) != 0)
        failed = true;
    return failed ? 2 : matched ? 0 : 1;
}
