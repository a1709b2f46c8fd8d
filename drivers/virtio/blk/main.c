/* main.c — the virtio block driver: takes disk N from the bus driver (N is
 * its argument, or the digits its module's name ends in: "virtioblk1" drives
 * disk1, "virtioblk" disk0), starts the device and serves it as "diskN"
 * (proto/blk.h), completions driven by its interrupt. With no such disk it
 * says so and ends cleanly. */
#include "blk.h"

#include <fmt.h>
#include <string.h>
#include <sys.h>
#include <virtio_drv.h>

#define NOTIFY_IRQ (1ull << 0)

static capaddr_t irq;

static void notified(struct srv *s, uint64_t bits)
{
    if (bits & NOTIFY_IRQ) {
        blk_serve_completions(s);
        (void)irq_ack(irq);
    }
}

static const struct srv_op ops[] = {SRV_OPS(BLK_MESSAGES)};

int main(int argc, char **argv)
{
    unsigned which = virtio_instance(argc, argv);
    err_t err = virtio_claim(VIRTIO_BLOCK, which, &blk.dev, &irq);
    if (err == ERR_NOENT) {
        sys_printf("virtioblk: no disk %u\n", which);
        return 0;
    }
    if (err == OK)
        err = blkdev_start();
    if (err != OK) {
        sys_printf("virtioblk: disk %u cannot be driven: %s\n", which, err_str(err));
        return 1;
    }
    char name[NS_NAME_MAX];
    fmt_format(name, sizeof name, BLK_NAME_FORMAT, which);
    struct srv disk = {
        .name = name, .grant_max = 1024 * 1024, .notified = notified, SRV_TABLE(ops)};
    if ((err = srv_start(&disk)) != OK || (err = irq_bind(irq, disk.ep, NOTIFY_IRQ)) != OK) {
        sys_printf("virtioblk: cannot serve %s: %s\n", name, err_str(err));
        return 1;
    }
    sys_printf("virtioblk: %s: %lu sectors of %u bytes\n", name, (unsigned long)blk.sectors,
               SECTOR_BYTES);
    srv_run(&disk);
}
