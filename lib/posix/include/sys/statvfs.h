/* sys/statvfs.h — what a file system holds and has free (POSIX). */
#ifndef _SYS_STATVFS_H
#define _SYS_STATVFS_H

#include <sys/types.h> /* fsblkcnt_t, fsfilcnt_t */

struct statvfs {
    unsigned long f_bsize;  /* the file system's block size */
    unsigned long f_frsize; /* the unit of f_blocks, f_bfree and f_bavail */
    fsblkcnt_t f_blocks;
    fsblkcnt_t f_bfree;
    fsblkcnt_t f_bavail;
    fsfilcnt_t f_files;
    fsfilcnt_t f_ffree;
    fsfilcnt_t f_favail;
    unsigned long f_fsid;
    unsigned long f_flag;
    unsigned long f_namemax;
};

#define ST_RDONLY 1
#define ST_NOSUID 2

int statvfs(const char *path, struct statvfs *buf);
int fstatvfs(int fd, struct statvfs *buf);

#endif
