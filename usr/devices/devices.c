/* devices — lists what the bus driver found, one device a line, like lspci:
 * PCI Express functions as bus:slot.function, vendor:device [class], and
 * virtio-mmio slots by address, version and interrupt line. */
#include "devices.h"

#include <chan.h>
#include <proto/bus.h>
#include <proto_chan.h>
#include <stdio.h>

PROTO_CHAN_CALLS(BUS_MESSAGES)

#define FIND_NS 30000000000ull

static void print_pci(const struct bus_device *d)
{
    printf("%02x:%02x.%x %04x:%04x [%02x%02x] %s", d->bus, d->slot, d->func, d->vendor, d->device,
           d->class_code, d->subclass, pci_class_name(d->class_code, d->subclass));
    if (d->virtio_type != 0)
        printf(": virtio %s%s", virtio_type_name(d->virtio_type),
               d->device >= 0x1040 ? "" : " (transitional)");
    if (d->irq_pin >= 1 && d->irq_pin <= 4)
        printf(", INT%c", 'A' + d->irq_pin - 1);
    printf("\n");
}

static void print_mmio(const struct bus_device *d)
{
    printf("mmio@%08lx virtio %s, version %u", (unsigned long)d->base,
           virtio_type_name(d->virtio_type), d->version);
    if (d->version == 1)
        printf(" (legacy, not supported: give QEMU -global virtio-mmio.force-legacy=false)");
    printf(", irq %u\n", d->irq);
}

int main(void)
{
    struct chan bus;
    err_t err = chan_connect(BUS_NAME, &bus, FIND_NS);
    if (err != OK) {
        printf("devices: no bus driver (%s)\n", err_str(err));
        return 1;
    }
    uint32_t i = 0;
    struct bus_device d;
    while ((err = bus_device(&bus, &(struct bus_ask){i}, &d)) == OK) {
        if (d.kind == BUS_PCIE_ECAM)
            print_pci(&d);
        else
            print_mmio(&d);
        i++;
    }
    if (err != ERR_NOENT) {
        printf("devices: the bus driver answered %s\n", err_str(err));
        return 1;
    }
    if (i == 0)
        printf("devices: none found\n");
    return 0;
}
