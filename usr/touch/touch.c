/* touch [-c] FILE... — sets each file's access and modification times to
 * now, creating it empty (mode 0666 less the umask) if it does not exist,
 * unless -c says not to. */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

static int touch(const char *path, bool create)
{
    if (utimes(path, NULL) == 0)
        return 0;
    if (errno != ENOENT)
        return -1;
    if (!create)
        return 0;
    /* Not O_TRUNC: a file made meanwhile by someone else keeps its data. */
    int fd = open(path, O_WRONLY | O_CREAT, 0666);
    if (fd < 0)
        return -1;
    return close(fd);
}

int main(int argc, char **argv)
{
    bool create = true;
    int opt;
    while ((opt = getopt(argc, argv, "c")) != -1) {
        if (opt != 'c') {
            fprintf(stderr, "usage: touch [-c] FILE...\n");
            return 2;
        }
        create = false;
    }
    if (optind == argc) {
        fprintf(stderr, "usage: touch [-c] FILE...\n");
        return 2;
    }
    int status = 0;
    for (int i = optind; i < argc; i++) {
        if (touch(argv[i], create) != 0) {
            fprintf(stderr, "touch: %s: %s\n", argv[i], strerror(errno));
            status = 1;
        }
    }
    return status;
}
