/* main.c — FS, the file system server: the root disk's (disk0's) ext2 file
 * system at /, a RAM file system at /tmp, the next disk's at /mnt, and the
 * protocol of proto/fs.h for every client on every core. Without a root
 * disk that mounts, the root is a RAM file system with /tmp and /mnt. A read
 * of an empty pipe or a write to a full one is answered later, when the
 * other end moves. */
#include "serve.h"

#include <chan.h>
#include <proto/bus.h>
#include <proto_chan.h>
#include <server.h>
#include <stdlib.h>
#include <string.h>
#include <sys.h>

PROTO_CHAN_CALLS(BUS_MESSAGES)

/* How long FS waits for the bus driver, and then for each disk's driver. */
#define BUS_WAIT_NS  20000000000ull
#define DISK_WAIT_NS 30000000000ull
#define VIRTIO_BLK   2

struct srv fs_srv;

static const struct srv_op ops[] = {SRV_OPS(FS_MESSAGES)};

/* How many virtio block devices the bus driver found; 0 without one. */
static unsigned count_disks(void)
{
    struct chan bus;
    if (chan_connect(BUS_NAME, &bus, BUS_WAIT_NS) != OK)
        return 0;
    unsigned disks = 0;
    struct bus_device d;
    for (uint32_t i = 0; bus_device(&bus, &(struct bus_ask){i}, &d) == OK; i++)
        disks += d.virtio_type == VIRTIO_BLK;
    chan_drop(&bus);
    return disks;
}

static void make_dir(const char *path)
{
    struct vfs_where w;
    uint32_t ino;
    if (vfs_lookup(path, strlen(path), false, &w) != OK || w.found ||
        w.dir.m->ops->mkdir(w.dir.m->fs, w.dir.ino, w.name, w.len, 0777, &ino) != OK)
        sys_printf("fs: cannot make %s\n", path);
}

/* The root: disk0's file system, or else a RAM file system. */
static err_t mount_root(unsigned disks)
{
    err_t err = ERR_NOENT;
    if (disks > 0 && (err = ext2fs_attach("disk0", sys_now_ns() + DISK_WAIT_NS, NULL)) != OK)
        sys_printf("fs: disk0 not mounted at /: %s\n", err_str(err));
    if (err == OK)
        return OK;
    if ((err = ramfs_attach(NULL)) != OK)
        return err;
    sys_printf("fs: the root is a RAM file system (no root disk): no programs but the boot's\n");
    make_dir("/tmp");
    make_dir("/mnt");
    return OK;
}

int main(void)
{
    unsigned disks = count_disks();
    err_t err = mount_root(disks);
    if (err != OK) {
        sys_printf("fs: no root file system: %s\n", err_str(err));
        return 1;
    }
    if ((err = ramfs_attach("/tmp")) != OK)
        sys_printf("fs: no RAM file system at /tmp: %s\n", err_str(err));
    if (disks > 1 && (err = ext2fs_attach("disk1", sys_now_ns() + DISK_WAIT_NS, "/mnt")) != OK)
        sys_printf("fs: disk1 not mounted at /mnt: %s\n", err_str(err));
    fs_srv = (struct srv){.name = FS_NAME,
                          SRV_TABLE(ops),
                          .state_bytes = sizeof(struct client),
                          .grant_max = 1024 * 1024,
                          .left = fs_client_left};
    if ((err = srv_start(&fs_srv)) != OK) {
        sys_printf("fs: cannot serve: %s\n", err_str(err));
        return 1;
    }
    srv_run(&fs_srv);
}
