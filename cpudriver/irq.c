/* irq.c — interrupt lines bound to user-mode drivers. A driver with an IRQ
 * capability binds its line to an endpoint on its core; each interrupt becomes
 * a notification with the bits it chose, and the line stays quiet until the
 * driver says it has served the device (irq_ack), so a level-triggered line
 * cannot storm the core in between. The table is this core's alone: a line is
 * routed to the core whose CPU driver bound it. */
#include <arch.h>
#include <dispatch.h>
#include <irq.h>
#include <lmp_sys.h>

#define IRQ_BINDINGS 16

struct irq_binding {
    bool used;
    bool awaiting_ack; /* notified; masked until the driver acks */
    uint64_t line;
    uint32_t domain;
    uint64_t bits;
};

static struct irq_binding bindings[IRQ_BINDINGS];

static struct sysret_value ret(err_t e) { return (struct sysret_value){e, 0}; }

static struct irq_binding *find(uint64_t line)
{
    for (unsigned i = 0; i < IRQ_BINDINGS; i++) {
        if (bindings[i].used && bindings[i].line == line)
            return &bindings[i];
    }
    return NULL;
}

bool irq_raised(uint64_t line)
{
    struct irq_binding *b = find(line);
    struct dispatcher *t = b != NULL ? dispatch_find(b->domain) : NULL;
    if (t == NULL)
        return false;
    b->awaiting_ack = true;
    lmp_kernel_notify(t, b->bits);
    return true;
}

static void unbind(struct irq_binding *b)
{
    arch_irq_unroute(b->line);
    if (b->awaiting_ack)
        arch_irq_ack(b->line); /* nothing stays claimed for a driver that is gone */
    *b = (struct irq_binding){0};
}

void irq_on_death(const struct dispatcher *d)
{
    for (unsigned i = 0; i < IRQ_BINDINGS; i++) {
        if (bindings[i].used && bindings[i].domain == d->id)
            unbind(&bindings[i]);
    }
}

/* (irq, ep, bits): one binding per line; bits 0 unbinds (ep ignored). */
struct sysret_value irq_sys_bind(struct dispatcher *d, const uint64_t a[6])
{
    struct cap *irq;
    err_t err = cap_get(d, (capaddr_t)a[0], CAP_IRQ, CAP_RIGHT_WRITE, &irq);
    if (err != OK)
        return ret(err);
    struct irq_binding *b = find(irq->base);
    if (a[2] == 0) {
        if (b == NULL || b->domain != d->id)
            return ret(ERR_NOENT);
        unbind(b);
        return ret(OK);
    }
    struct dispatcher *t;
    if ((err = lmp_endpoint_target(d, (capaddr_t)a[1], &t)) != OK)
        return ret(err);
    if (b != NULL)
        return ret(ERR_PERM); /* another driver has it */
    for (unsigned i = 0; i < IRQ_BINDINGS && b == NULL; i++) {
        if (!bindings[i].used)
            b = &bindings[i];
    }
    if (b == NULL)
        return ret(ERR_NOMEM);
    if ((err = arch_irq_route(irq->base)) != OK)
        return ret(err);
    *b = (struct irq_binding){.used = true, .line = irq->base, .domain = t->id, .bits = a[2]};
    return ret(OK);
}

struct sysret_value irq_sys_ack(struct dispatcher *d, const uint64_t a[6])
{
    struct cap *irq;
    err_t err = cap_get(d, (capaddr_t)a[0], CAP_IRQ, CAP_RIGHT_WRITE, &irq);
    if (err != OK)
        return ret(err);
    struct irq_binding *b = find(irq->base);
    if (b == NULL)
        return ret(ERR_NOENT);
    if (b->awaiting_ack) {
        b->awaiting_ack = false;
        arch_irq_ack(b->line);
    }
    return ret(OK);
}
