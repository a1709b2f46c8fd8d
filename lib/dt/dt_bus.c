/* dt_bus.c — where a bus driver looks for devices, from the device tree: the
 * PCI Express host bridge (pci-host-ecam-generic: its configuration space and
 * bus-range) and every virtio-mmio slot (its registers and PLIC source), in
 * address order. Only what the tree says; nothing is probed here. */
#include <dt.h>
#include <libfdt.h>

static uint64_t cells(const fdt32_t *p, int n)
{
    uint64_t v = 0;
    for (int i = 0; i < n; i++)
        v = (v << 32) | fdt32_to_cpu(p[i]);
    return v;
}

static bool node_reg(const void *fdt, int node, uint64_t *base, uint64_t *size)
{
    int parent = fdt_parent_offset(fdt, node);
    int ac = parent >= 0 ? fdt_address_cells(fdt, parent) : 2;
    int sc = parent >= 0 ? fdt_size_cells(fdt, parent) : 1;
    int len;
    const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);
    if (reg == NULL || ac < 1 || ac > 2 || sc < 1 || sc > 2 || len < (ac + sc) * 4)
        return false;
    *base = cells(reg, ac);
    *size = cells(reg + ac, sc);
    return *size != 0 && *base + *size > *base;
}

static void add(struct dt_machine *m, const struct bus_region *r)
{
    if (m->bus_count == BUS_REGIONS_MAX)
        return;
    uint32_t i = m->bus_count++;
    while (i > 0 && m->bus[i - 1].base > r->base) { /* kept in address order */
        m->bus[i] = m->bus[i - 1];
        i--;
    }
    m->bus[i] = *r;
}

static void read_pcie(const void *fdt, struct dt_machine *m)
{
    for (int node = fdt_node_offset_by_compatible(fdt, -1, "pci-host-ecam-generic"); node >= 0;
         node = fdt_node_offset_by_compatible(fdt, node, "pci-host-ecam-generic")) {
        struct bus_region r = {.kind = BUS_PCIE_ECAM, .last_bus = 255};
        if (!node_reg(fdt, node, &r.base, &r.size) || (r.base & 0xfffff) != 0)
            continue;
        int len;
        const fdt32_t *range = fdt_getprop(fdt, node, "bus-range", &len);
        uint32_t first = 0, last = 255;
        if (range != NULL && len >= 8) {
            first = fdt32_to_cpu(range[0]);
            last = fdt32_to_cpu(range[1]);
        }
        if (last > 255 || first > last)
            continue;
        r.first_bus = (uint16_t)first, r.last_bus = (uint16_t)last;
        uint64_t buses = r.size >> 20;
        if (buses < r.last_bus - r.first_bus + 1u)
            r.last_bus = (uint16_t)(r.first_bus + buses - 1); /* no bus past the window */
        add(m, &r);
    }
}

static void read_virtio_mmio(const void *fdt, struct dt_machine *m)
{
    for (int node = fdt_node_offset_by_compatible(fdt, -1, "virtio,mmio"); node >= 0;
         node = fdt_node_offset_by_compatible(fdt, node, "virtio,mmio")) {
        struct bus_region r = {.kind = BUS_VIRTIO_MMIO};
        if (!node_reg(fdt, node, &r.base, &r.size) || (r.base & 0xfff) != 0)
            continue;
        int len;
        const fdt32_t *irq = fdt_getprop(fdt, node, "interrupts", &len);
        if (irq != NULL && len >= 4)
            r.irq = fdt32_to_cpu(irq[0]);
        r.size = (r.size + 0xfff) & ~0xfffull;
        add(m, &r);
    }
}

void dt_read_buses(const void *fdt, struct dt_machine *m)
{
    read_pcie(fdt, m);
    read_virtio_mmio(fdt, m);
}
