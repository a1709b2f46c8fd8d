/* pci.h — the bus driver's parts: the regions the monitor gives it, the
 * walk of PCI Express configuration space and of virtio-mmio slots, and the
 * table of what they found. */
#ifndef PCI_H
#define PCI_H

#include <err.h>
#include <proto/bus.h>
#include <stdint.h>
#include <sys.h>

/* A region's capability number piece mapped (region.c): its registers at va. */
MUST_CHECK err_t region_map(uint32_t region, uint32_t piece, struct bus_region *desc,
                            volatile uint8_t **va);

/* What was found (main.c keeps the table). */
MUST_CHECK err_t found_add(const struct bus_device *d);

/* Walks the buses of one ECAM region from its first, mapped at bus0 (pcie.c). */
void pcie_scan(uint32_t region, const struct bus_region *desc, volatile uint8_t *bus0);

/* Reads one virtio-mmio slot, mapped at regs (mmio.c); an empty one adds nothing. */
void mmio_probe(const struct bus_region *desc, volatile uint8_t *regs);

#endif
