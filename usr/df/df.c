/* df [-k] [PATH...] — shows the size and use of the file system that holds each
 * PATH ("/" when none), in blocks of 1024 bytes:
 *   Filesystem 1K-blocks Used Available Use% Mounted-on
 *   FSID TOTAL USED AVAILABLE PERCENT% PATH
 * FSID is the file system's id (f_fsid) in hexadecimal, and the last column
 * is the PATH asked about: there is no table of mounts to name the device or
 * the mount point from. Use% is Used / (Used + Available), rounded up, as
 * POSIX asks; Available is what an unprivileged user may still take. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/statvfs.h>
#include <unistd.h>

static int show(const char *path)
{
    struct statvfs fs;
    if (statvfs(path, &fs) != 0) {
        fprintf(stderr, "df: %s: %s\n", path, strerror(errno));
        return 1;
    }
    unsigned long unit = fs.f_frsize ? fs.f_frsize : fs.f_bsize;
    unsigned long total = fs.f_blocks * unit / 1024;
    unsigned long used = (fs.f_blocks - fs.f_bfree) * unit / 1024;
    unsigned long avail = fs.f_bavail * unit / 1024;
    printf("%lx %lu %lu %lu ", (unsigned long)fs.f_fsid, total, used, avail);
    if (used + avail == 0)
        printf("-");
    else
        printf("%lu%%", (used * 100 + (used + avail - 1)) / (used + avail));
    printf(" %s\n", path);
    return 0;
}

int main(int argc, char **argv)
{
    int opt;
    while ((opt = getopt(argc, argv, "k")) != -1) {
        if (opt != 'k') {
            fprintf(stderr, "usage: df [-k] [PATH...]\n");
            return 2;
        }
    }
    int status = 0;
    printf("Filesystem 1K-blocks Used Available Use%% Mounted-on\n");
    if (optind == argc)
        status = show("/");
    for (int i = optind; i < argc; i++)
        status |= show(argv[i]);
    return fflush(stdout) == 0 && status == 0 ? 0 : 1;
}
