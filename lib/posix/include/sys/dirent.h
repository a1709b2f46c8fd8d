/* sys/dirent.h — directories for newlib's <dirent.h>: this system's entry
 * and stream (lib/posix/dir.c reads them from FS). */
#ifndef _SYS_DIRENT_H
#define _SYS_DIRENT_H

#include <sys/types.h>

#define MAXNAMLEN 255

/* d_type: what the entry names, or DT_UNKNOWN where the file system does not say. */
#define DT_UNKNOWN 0
#define DT_FIFO    1
#define DT_CHR     2
#define DT_DIR     4
#define DT_BLK     6
#define DT_REG     8
#define DT_LNK     10
#define DT_SOCK    12

struct dirent {
    ino_t d_ino;
    unsigned char d_type;
    char d_name[MAXNAMLEN + 1];
};

typedef struct posix_dir DIR;

#endif
