/* od [-A x] [-t x1] [-v] [FILE...] — dumps the bytes of the FILEs (standard
 * input when none, or for "-"), taken as one stream, in exactly the format of
 * `od -A x -t x1 -v`: each line is the offset in hexadecimal (at least six
 * digits) and up to sixteen bytes as " %02x", and a last line gives the
 * total length. That is the only format; the options are accepted so that
 * the same command line works here and elsewhere, and any other is refused. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static unsigned char row[16];
static size_t row_len;
static unsigned long offset;

static void flush_row(void)
{
    printf("%06lx", offset);
    for (size_t i = 0; i < row_len; i++)
        printf(" %02x", row[i]);
    putchar('\n');
    offset += row_len;
    row_len = 0;
}

static int dump(FILE *f, const char *name)
{
    int c;
    while ((c = getc(f)) != EOF) {
        row[row_len++] = (unsigned char)c;
        if (row_len == sizeof row)
            flush_row();
    }
    if (ferror(f)) {
        fprintf(stderr, "od: %s: %s\n", name, strerror(errno));
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    int opt;
    while ((opt = getopt(argc, argv, "A:t:v")) != -1) {
        if ((opt == 'A' && strcmp(optarg, "x") == 0) || (opt == 't' && strcmp(optarg, "x1") == 0) ||
            opt == 'v')
            continue;
        fprintf(stderr, "usage: od [-A x] [-t x1] [-v] [FILE...] (the only format there is)\n");
        return 2;
    }
    int status = 0;
    if (optind == argc)
        status = dump(stdin, "-");
    for (int i = optind; i < argc; i++) {
        FILE *f = strcmp(argv[i], "-") == 0 ? stdin : fopen(argv[i], "r");
        if (!f) {
            fprintf(stderr, "od: %s: %s\n", argv[i], strerror(errno));
            status = 1;
            continue;
        }
        status |= dump(f, argv[i]);
        if (f != stdin)
            fclose(f);
    }
    if (row_len > 0)
        flush_row();
    printf("%06lx\n", offset);
    return fflush(stdout) == 0 && status == 0 ? 0 : 1;
}
