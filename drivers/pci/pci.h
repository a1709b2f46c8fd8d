/* pci.h — the bus driver's parts: the regions the monitor gives it, the
 * walk of PCI Express configuration space and of virtio-mmio slots, and the
 * table of what they found. */
#ifndef PCI_H
#define PCI_H

#include <err.h>
#include <proto/bus.h>
#include <stdint.h>
#include <sys.h>

/* A region's capability number piece, in *slot (region.c); mapped at *va if
 * va is not NULL. */
MUST_CHECK err_t region_cap(uint32_t region, uint32_t piece, struct bus_region *desc,
                            capaddr_t *slot, volatile uint8_t **va);

/* What was found (main.c keeps the table): the device, the region it is in
 * (virtio-mmio) and the capability of its registers. */
struct found {
    struct bus_device dev;
    uint32_t region;
    capaddr_t regs;      /* virtio-mmio: its registers; PCIe: its bus's configuration space */
    uint32_t cfg_offset; /* PCIe: its function's page in that */
    capaddr_t irq;       /* 0: not asked for yet */
    uint32_t claimant;   /* the domain that drives it; 0: none */
    uint64_t bar_base[6], bar_bytes[6]; /* PCIe memory BARs; 0 bytes: none */
};

MUST_CHECK err_t found_add(const struct found *f);
/* The i-th device found; NULL past the last. */
struct found *found_at(uint32_t i);

struct srv;
struct srv_client;
int serve_bus_claim(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r);

/* Walks the buses of one ECAM region from its first, cap bus0_cap mapped at
 * bus0 (pcie.c). */
void pcie_scan(uint32_t region, const struct bus_region *desc, capaddr_t bus0_cap,
               volatile uint8_t *bus0);

/* A virtio function's memory BARs: where the firmware put them, and the
 * pages of each its virtio structures lie in (bars.c). */
void bars_read(volatile uint8_t *fn, struct found *f);

/* Reads one virtio-mmio slot, its capability cap mapped at regs (mmio.c); an
 * empty one adds nothing. */
void mmio_probe(uint32_t region, const struct bus_region *desc, capaddr_t cap,
                volatile uint8_t *regs);

#endif
