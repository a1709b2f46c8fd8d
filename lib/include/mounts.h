/* mounts.h — what programs can ask of FS beyond POSIX: mounting a disk's
 * ext2 file system on a directory, unmounting it, and the list of mounts.
 * Each returns 0, or -1 with errno set, like the POSIX calls. */
#ifndef MOUNTS_H
#define MOUNTS_H

#include <stdbool.h>
#include <stddef.h>

/* disk is a block driver's name ("disk1"); dir an existing directory. */
int fs_mount_disk(const char *disk, const char *dir);
/* Syncs and unmounts what is mounted on dir; EBUSY while files of it are open. */
int fs_unmount(const char *dir);
/* The index-th mount: what (FS_DISK_MAX bytes at least), its directory
 * (at most cap bytes, NUL-terminated) and whether it is read-only; -1 with
 * ENOENT past the last. */
int fs_mount_entry(unsigned index, char *what, char *dir, size_t cap, bool *rdonly);

#endif
