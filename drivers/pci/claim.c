/* claim.c — gives a device's capabilities to the driver that claims it: the
 * first domain to ask for a device is its driver, and no other domain gets
 * anything of it. Capabilities travel only over LMP, so the driver runs on
 * this core (each platform's boot.conf places them together). */
#include "pci.h"

#include <server.h>

static struct found *nth_of_type(uint32_t type, uint32_t which)
{
    struct found *f;
    for (uint32_t i = 0; (f = found_at(i)) != NULL; i++) {
        if (f->dev.virtio_type == type && which-- == 0)
            return f;
    }
    return NULL;
}

static err_t irq_cap(struct found *f)
{
    if (f->irq != 0)
        return OK;
    struct bus_region desc;
    return region_cap(f->region, BUS_PIECE_IRQ, &desc, &f->irq, NULL);
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
    if (f->claimant != 0 && f->claimant != c->chan.peer_domain)
        return ERR_BUSY;
    if (f->dev.kind != BUS_VIRTIO_MMIO)
        return ERR_NOSYS; /* a PCI function's BARs cannot be handed on yet (docs/devices.md) */
    struct bus_piece *p = msg_payload(r, struct bus_piece);
    err_t err = OK;
    if (req->piece == BUS_PIECE_REGS) {
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
