/* mode.h — a mode as ls -l and stat show it: "drwxr-xr-x", with the
 * set-user-id, set-group-id and sticky bits as s/S and t/T. */
#ifndef USR_MODE_H
#define USR_MODE_H

#include <sys/stat.h>

static inline void mode_string(mode_t m, char s[11])
{
    s[0] = S_ISDIR(m)    ? 'd'
           : S_ISLNK(m)  ? 'l'
           : S_ISCHR(m)  ? 'c'
           : S_ISBLK(m)  ? 'b'
           : S_ISFIFO(m) ? 'p'
           : S_ISSOCK(m) ? 's'
                         : '-';
    const char *rwx = "rwxrwxrwx";
    for (int i = 0; i < 9; i++)
        s[1 + i] = m & (0400 >> i) ? rwx[i] : '-';
    if (m & S_ISUID)
        s[3] = m & S_IXUSR ? 's' : 'S';
    if (m & S_ISGID)
        s[6] = m & S_IXGRP ? 's' : 'S';
    if (m & S_ISVTX)
        s[9] = m & S_IXOTH ? 't' : 'T';
    s[10] = '\0';
}

#endif
