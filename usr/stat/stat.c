/* stat FILE... — describes each file (a symbolic link itself, not what it
 * points to) in six lines:
 *   File: NAME            (and " -> TARGET" for a symbolic link)
 *   Size: N Blocks: N     (blocks of 512 bytes)
 *   Links: N Inode: N
 *   Uid: N Gid: N
 *   Mode: 0644 -rw-r--r--
 *   Type: regular file    (or directory, symbolic link, ...) */
#include "../ls/mode.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *type_name(mode_t m)
{
    return S_ISREG(m)    ? "regular file"
           : S_ISDIR(m)  ? "directory"
           : S_ISLNK(m)  ? "symbolic link"
           : S_ISCHR(m)  ? "character special file"
           : S_ISBLK(m)  ? "block special file"
           : S_ISFIFO(m) ? "fifo"
           : S_ISSOCK(m) ? "socket"
                         : "unknown";
}

static int describe(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0) {
        fprintf(stderr, "stat: %s: %s\n", path, strerror(errno));
        return 1;
    }
    printf("File: %s", path);
    if (S_ISLNK(st.st_mode)) {
        char target[4096];
        ssize_t n = readlink(path, target, sizeof target - 1);
        if (n >= 0)
            printf(" -> %.*s", (int)n, target);
    }
    char mode[11];
    mode_string(st.st_mode, mode);
    printf("\nSize: %ld Blocks: %ld\n", (long)st.st_size, (long)st.st_blocks);
    printf("Links: %lu Inode: %lu\n", (unsigned long)st.st_nlink, (unsigned long)st.st_ino);
    printf("Uid: %lu Gid: %lu\n", (unsigned long)st.st_uid, (unsigned long)st.st_gid);
    printf("Mode: %04o %s\n", (unsigned)(st.st_mode & 07777), mode);
    printf("Type: %s\n", type_name(st.st_mode));
    return 0;
}

int main(int argc, char **argv)
{
    if (getopt(argc, argv, "") != -1 || optind == argc) {
        fprintf(stderr, "usage: stat FILE...\n");
        return 2;
    }
    int status = 0;
    for (int i = optind; i < argc; i++)
        status |= describe(argv[i]);
    return fflush(stdout) == 0 && status == 0 ? 0 : 1;
}
