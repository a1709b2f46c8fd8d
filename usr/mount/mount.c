/* mount — the mounts, or a disk's ext2 file system mounted on a directory:
 *   mount              each mount: what, where, and "ro" if read-only
 *   mount DISK DIR     DISK is a block driver's name (disk1, ...)
 * Exit 1 on an error, 2 on bad usage. */
#include <errno.h>
#include <mounts.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
    if (argc == 3) {
        if (fs_mount_disk(argv[1], argv[2]) == 0)
            return 0;
        fprintf(stderr, "mount: %s on %s: %s\n", argv[1], argv[2], strerror(errno));
        return 1;
    }
    if (argc != 1) {
        fprintf(stderr, "usage: mount [DISK DIR]\n");
        return 2;
    }
    static char what[64], dir[4097];
    bool rdonly;
    for (unsigned i = 0;; i++) {
        if (fs_mount_entry(i, what, dir, sizeof dir, &rdonly) != 0) {
            if (errno == ENOENT)
                return 0;
            fprintf(stderr, "mount: %s\n", strerror(errno));
            return 1;
        }
        printf("%s on %s%s\n", what, dir, rdonly ? " (ro)" : "");
    }
}
