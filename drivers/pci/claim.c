/* claim.c — gives a device's capabilities to the driver that claims it: the
 * first domain to ask for a device is its driver, and no other domain gets
 * anything of it. Capabilities travel only over LMP, so the driver runs on
 * this core (each platform's boot.conf places them together). */
#include "pci.h"

#include <proto/pm.h>
#include <server.h>
#include <slot_alloc.h>
#include <sys.h>

static struct found *nth_of_type(uint32_t type, uint32_t which)
{
    struct found *f;
    for (uint32_t i = 0; (f = found_at(i)) != NULL; i++) {
        if (f->dev.virtio_type == type && which-- == 0)
            return f;
    }
    return NULL;
}

/* q35 wires a root-bus function's INTx pin to PIRQ E-H by its slot (the
 * _PRT in its DSDT): line 4 + (slot + pin - 1) % 4 of the region's eight. */
static uint32_t intx_piece(const struct found *f)
{
    return BUS_CAP_INTX + 4 + ((f->dev.slot + f->dev.irq_pin - 1u) & 3);
}

static err_t irq_cap(struct found *f)
{
    if (f->irq != 0)
        return OK;
    struct bus_region desc;
    if (f->dev.kind == BUS_VIRTIO_MMIO)
        return region_cap(f->region, BUS_PIECE_IRQ, &desc, &f->irq, NULL);
    if (f->dev.irq_pin < 1 || f->dev.irq_pin > 4 || f->dev.bus != 0)
        return ERR_NOENT;
    return region_cap(f->region, intx_piece(f), &desc, &f->irq, NULL);
}

/* A PCIe region's BAR window, asked for once. */
static err_t window(uint32_t region, capaddr_t *cap, uint64_t *base)
{
    static capaddr_t caps[BUS_REGIONS_MAX];
    static uint64_t bases[BUS_REGIONS_MAX];
    if (region >= BUS_REGIONS_MAX)
        return ERR_NOENT;
    if (caps[region] == 0) {
        struct bus_region desc;
        err_t err = region_cap(region, BUS_CAP_WINDOW, &desc, &caps[region], NULL);
        if (err != OK)
            return err;
        bases[region] = desc.window_base;
    }
    *cap = caps[region], *base = bases[region];
    return OK;
}

/* A new capability of part of a device frame, in *out. */
static err_t part(capaddr_t of, uint64_t offset, uint64_t bytes, capaddr_t *out)
{
    err_t err = slot_alloc(out);
    if (err == OK && (err = devframe_part(of, *out, offset, bytes)) != OK)
        slot_free(*out);
    return err;
}

/* The capability of PCIe piece, made for this claim (the driver gets a copy). */
static err_t pci_piece(struct found *f, uint32_t piece, capaddr_t *out, uint32_t *type)
{
    *type = CAP_DEVFRAME;
    if (piece == BUS_PIECE_REGS)
        return part(f->regs, f->cfg_offset, 4096, out);
    if (piece == BUS_PIECE_IRQ) {
        *type = CAP_IRQ;
        err_t err = irq_cap(f);
        *out = f->irq;
        return err;
    }
    uint32_t bar = piece - BUS_PIECE_BAR0;
    if (piece < BUS_PIECE_BAR0 || bar >= 6 || f->bar_bytes[bar] == 0)
        return ERR_NOENT;
    capaddr_t win;
    uint64_t base;
    err_t err = window(f->region, &win, &base);
    if (err != OK)
        return err;
    uint64_t bytes = (f->bar_bytes[bar] + 4095) & ~4095ull;
    if (f->bar_base[bar] < base || (f->bar_base[bar] & 4095) != 0)
        return ERR_RANGE; /* outside the window: the kernel would refuse it anyway */
    return part(win, f->bar_base[bar] - base, bytes, out);
}

/* Whether the domain that claimed f has ended (then a restarted driver may
 * claim it): PM no longer has it, or has it only as a zombie. A domain PM
 * never started (one of the kernel command line's) counts as ended. */
static bool claimant_ended(const struct srv *s, struct found *f)
{
    struct pm_proc p;
    err_t err = srv_pm_who(s, sys_core_id(), f->claimant, &p);
    if (err != ERR_NOPROC && !(err == OK && p.state == PM_ZOMBIE))
        return false;
    sys_printf("pci: the driver of virtio device type %u (domain %u) has ended: its claim is "
               "released\n",
               f->dev.virtio_type, f->claimant);
    f->claimant = 0;
    return true;
}

int serve_bus_claim(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r)
{
    (void)s;
    const struct bus_claim *req = msg_payload_const(m, struct bus_claim);
    if (!c->local)
        return ERR_PERM; /* a capability cannot travel to another core */
    struct found *f = nth_of_type(req->virtio_type, req->which);
    if (f == NULL || req->virtio_type == 0)
        return ERR_NOENT;
    if (f->claimant != 0 && f->claimant != c->chan.peer_domain && !claimant_ended(s, f))
        return ERR_BUSY;
    struct bus_piece *p = msg_payload(r, struct bus_piece);
    err_t err = OK;
    if (f->dev.kind == BUS_PCIE_ECAM) {
        err = pci_piece(f, req->piece, &c->give, &p->cap_type);
    } else if (req->piece == BUS_PIECE_REGS) {
        c->give = f->regs;
        p->cap_type = CAP_DEVFRAME;
    } else if (req->piece == BUS_PIECE_IRQ) {
        err = irq_cap(f);
        c->give = f->irq;
        p->cap_type = CAP_IRQ;
    } else {
        err = ERR_NOENT;
    }
    if (err != OK)
        return err;
    f->claimant = c->chan.peer_domain;
    p->dev = f->dev;
    return OK;
}
