/* sleep SECONDS — waits that long (a fraction is allowed: 0.25). */
#include <stdio.h>
#include <stdlib.h>
#include <sys.h>

int main(int argc, char **argv)
{
    char *end;
    double s = argc == 2 ? strtod(argv[1], &end) : -1;
    if (argc != 2 || *end != '\0' || s < 0 || s > 1e6) {
        printf("usage: sleep SECONDS\n");
        return 2;
    }
    sys_sleep_ns((uint64_t)(s * 1e9));
    return 0;
}
