/* main.c — the virtio network driver: takes network device N from the bus
 * driver (N is its argument, or the digits its module's name ends in:
 * "virtionet1" drives eth1, "virtionet" eth0), starts the device and serves
 * it as "ethN" (proto/netdev.h), driven by its interrupt. With no such
 * device it says so and ends cleanly. */
#include "net.h"

#include <fmt.h>
#include <string.h>
#include <sys.h>
#include <virtio_drv.h>

#define NOTIFY_IRQ (1ull << 0)

static capaddr_t irq;

static void notified(struct srv *s, uint64_t bits)
{
    if (bits & NOTIFY_IRQ) {
        net_serve_device(s);
        (void)irq_ack(irq);
    }
}

static const struct srv_op ops[] = {SRV_OPS(NETDEV_MESSAGES)};

int main(int argc, char **argv)
{
    unsigned which = virtio_instance(argc, argv);
    err_t err = virtio_claim(VIRTIO_NET, which, &net.dev, &irq);
    if (err == ERR_NOENT) {
        sys_printf("virtionet: no network device %u\n", which);
        return 0;
    }
    if (err == OK)
        err = netdev_start();
    if (err != OK) {
        sys_printf("virtionet: device %u cannot be driven: %s\n", which, err_str(err));
        return 1;
    }
    char name[NS_NAME_MAX];
    fmt_format(name, sizeof name, NETDEV_NAME_FORMAT, which);
    struct srv eth = {.name = name,
                      .grant_max = 1024 * 1024,
                      .notified = notified,
                      .left = net_serve_left,
                      SRV_TABLE(ops)};
    if ((err = srv_start(&eth)) != OK || (err = irq_bind(irq, eth.ep, NOTIFY_IRQ)) != OK) {
        sys_printf("virtionet: cannot serve %s: %s\n", name, err_str(err));
        return 1;
    }
    const uint8_t *a = net.mac;
    sys_printf("virtionet: %s: %02x:%02x:%02x:%02x:%02x:%02x, link %s\n", name, a[0], a[1], a[2],
               a[3], a[4], a[5], netdev_link_up() ? "up" : "down");
    srv_run(&eth);
}
