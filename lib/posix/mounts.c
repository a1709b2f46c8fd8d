/* mounts.c — mount, umount and the list of mounts, as messages to FS
 * (mounts.h). */
#include "posix.h"

#include <errno.h>
#include <mounts.h>
#include <proto_chan.h>
#include <string.h>

PROTO_CHAN_CALLS(FS_MESSAGES)

int fs_mount_disk(const char *disk, const char *dir)
{
    struct fs_mount q = {0};
    size_t len = strlen(disk);
    if (len == 0 || len >= FS_DISK_MAX) {
        errno = EINVAL;
        return -1;
    }
    memcpy(q.disk, disk, len);
    if (fs_path_put(dir, 0, &q.path) != 0)
        return -1;
    return fs_result(fs_mount(fs_chan(), &q, NULL));
}

int fs_unmount(const char *dir)
{
    struct fs_path p;
    if (fs_path_put(dir, 0, &p) != 0)
        return -1;
    return fs_result(fs_umount(fs_chan(), &p, NULL));
}

int fs_mount_entry(unsigned index, char *what, char *dir, size_t cap, bool *rdonly)
{
    struct chan *c = fs_chan();
    if (c == NULL || cap == 0)
        return -1;
    uint32_t most = (uint32_t)(cap - 1 < FS_PATH_MAX ? cap - 1 : FS_PATH_MAX);
    struct fs_mounts_req q = {.index = index, .out = FS_GRANT_DATA, .cap = most};
    struct fs_mounted got;
    if (fs_result(fs_mounts(c, &q, &got)) != 0)
        return -1;
    memcpy(what, got.what, FS_DISK_MAX);
    size_t n = got.path_len < most ? got.path_len : most;
    memcpy(dir, fs_grant() + FS_GRANT_DATA, n);
    dir[n] = '\0';
    *rdonly = (got.flags & FS_STATFS_RDONLY) != 0;
    return 0;
}
