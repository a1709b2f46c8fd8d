/* sys/stat.h — newlib's, and the calls it declares only for some systems. */
#ifndef _POSIX_SYS_STAT_H
#define _POSIX_SYS_STAT_H

#include_next <sys/stat.h>

int lstat(const char *__restrict path, struct stat *__restrict buf);

#endif
