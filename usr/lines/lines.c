/* lines N [PREFIX [PAUSE_MS]] — prints N numbered lines, PREFIX1 to PREFIXN
 * ("line " by default), each with a write() of its own, PAUSE_MS apart (0 by
 * default): a stream of separate writes, for tests of what the console does
 * between them (a restart of its driver). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys.h>
#include <unistd.h>

static int usage(void)
{
    fprintf(stderr, "usage: lines N [PREFIX [PAUSE_MS]]\n");
    return 2;
}

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 4)
        return usage();
    char *end;
    long n = strtol(argv[1], &end, 10);
    if (*argv[1] == '\0' || *end != '\0' || n < 0)
        return usage();
    const char *prefix = argc >= 3 ? argv[2] : "line ";
    long pause_ms = 0;
    if (argc == 4) {
        pause_ms = strtol(argv[3], &end, 10);
        if (*argv[3] == '\0' || *end != '\0' || pause_ms < 0 || pause_ms > 60000)
            return usage();
    }
    for (long i = 1; i <= n; i++) {
        char line[256];
        int len = snprintf(line, sizeof line, "%s%ld\n", prefix, i);
        if (len < 0 || (size_t)len >= sizeof line) {
            fprintf(stderr, "lines: the prefix is too long\n");
            return 2;
        }
        if (write(STDOUT_FILENO, line, (size_t)len) != len) {
            perror("lines");
            return 1;
        }
        if (pause_ms != 0)
            sys_sleep_ns((uint64_t)pause_ms * 1000000);
    }
    return 0;
}
