/* main.c — the bus driver: walks every region where devices are found (PCI
 * Express configuration space, virtio-mmio slots; the monitor gives it a
 * device frame of each), serves the list as "pci", and gives each device's
 * capabilities to the driver that claims it (claim.c). It reads the buses
 * once, at start; it never writes a device's registers. */
#include "pci.h"

#include <server.h>
#include <table.h>

static struct table found = {.elem = sizeof(struct found)};
static uint32_t found_count;

err_t found_add(const struct found *f)
{
    err_t err = table_fit(&found, found_count + 1);
    if (err != OK) {
        sys_printf("pci: no memory to keep a device; it is not listed\n");
        return err;
    }
    ((struct found *)found.items)[found_count++] = *f;
    return OK;
}

struct found *found_at(uint32_t i)
{
    return i < found_count ? (struct found *)found.items + i : NULL;
}

static int serve_bus_device(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r)
{
    (void)s, (void)c;
    uint32_t index = msg_payload_const(m, struct bus_ask)->index;
    if (index >= found_count)
        return ERR_NOENT;
    *msg_payload(r, struct bus_device) = found_at(index)->dev;
    return OK;
}

static const struct srv_op ops[] = {SRV_OPS(BUS_MESSAGES)};

/* PCI Express first; then virtio-mmio slots from the highest address down,
 * which is the order QEMU's virt machine fills them in (its first -device
 * takes the top slot), so that the first disk given is the first found. */
static void scan(void)
{
    struct bus_region desc[BUS_REGIONS_MAX];
    volatile uint8_t *first[BUS_REGIONS_MAX]; /* piece 0 of each, mapped */
    capaddr_t cap[BUS_REGIONS_MAX];
    uint32_t n = 0;
    for (; n < BUS_REGIONS_MAX; n++) {
        err_t err = region_cap(n, 0, &desc[n], &cap[n], &first[n]);
        if (err == ERR_NOENT)
            break;
        if (err != OK) {
            sys_printf("pci: region %u: %s\n", n, err_str(err));
            desc[n].kind = 0;
        }
    }
    for (uint32_t i = 0; i < n; i++) {
        if (desc[i].kind == BUS_PCIE_ECAM)
            pcie_scan(i, &desc[i], cap[i], first[i]);
    }
    for (uint32_t i = n; i-- > 0;) {
        if (desc[i].kind == BUS_VIRTIO_MMIO)
            mmio_probe(i, &desc[i], cap[i], first[i]);
    }
}

int main(void)
{
    scan();
    struct srv bus_server = {.name = BUS_NAME, SRV_TABLE(ops)};
    err_t err = srv_start(&bus_server);
    if (err != OK) {
        sys_printf("pci: cannot register: %s\n", err_str(err));
        return 1;
    }
    sys_printf("pci: %u device%s found\n", found_count, found_count == 1 ? "" : "s");
    srv_run(&bus_server);
}
