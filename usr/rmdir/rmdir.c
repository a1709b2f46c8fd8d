/* rmdir DIR... — removes each directory, which must be empty. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (getopt(argc, argv, "") != -1 || optind == argc) {
        fprintf(stderr, "usage: rmdir DIR...\n");
        return 2;
    }
    int status = 0;
    for (int i = optind; i < argc; i++) {
        if (rmdir(argv[i]) != 0) {
            fprintf(stderr, "rmdir: %s: %s\n", argv[i], strerror(errno));
            status = 1;
        }
    }
    return status;
}
