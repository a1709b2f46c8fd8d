/* umount DIR... — syncs and unmounts what is mounted on each DIR.
 * Exit 1 if any failed (EBUSY while files of it are open), 2 on bad usage. */
#include <errno.h>
#include <mounts.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: umount DIR...\n");
        return 2;
    }
    int status = 0;
    for (int i = 1; i < argc; i++) {
        if (fs_unmount(argv[i]) != 0) {
            fprintf(stderr, "umount: %s: %s\n", argv[i], strerror(errno));
            status = 1;
        }
    }
    return status;
}
