/* irq.c — interrupt lines bound to user-mode drivers. A driver with an IRQ
 * capability binds its line to an endpoint on its core; each interrupt becomes
 * a notification with the bits it chose, and the line stays quiet until the
 * driver says it has served the device (irq_ack), so a level-triggered line
 * cannot storm the core in between. The table is this core's alone. Which core
 * a line reaches is the shared controller's business, which only the boot core
 * programs (SYS_KERNEL_IRQ, asked by monitor 0 for whichever core's monitor
 * wants the line): binding and acking here touch only this core's hardware. */
#include <arch.h>
#include <bootinfo.h>
#include <dispatch.h>
#include <irq.h>
#include <lmp_sys.h>
#include <mem.h>
#include <string.h>
#include <syscall_nums.h>

#define FIRST_BINDINGS 16 /* in this core's data; more from its pool, doubling */
/* How long a driver may keep a taken interrupt unacknowledged while it waits
 * for other messages (see irq_check_acks). */
#define ACK_DEADLINE_NS 1000000000ull

struct irq_binding {
    bool used;
    bool awaiting_ack;  /* notified; masked until the driver acks */
    uint64_t raised_ns; /* when, if awaiting_ack */
    uint64_t line;
    uint32_t domain;
    uint64_t bits;
};

static struct irq_binding first[FIRST_BINDINGS];
static struct irq_binding *bindings = first;
static paddr_t bindings_phys; /* 0 while bindings is first */
static unsigned count = FIRST_BINDINGS;

/* A table twice the size; false if this core's pool is out of memory. */
static bool grow(void)
{
    uint64_t bytes = 2ull * count * sizeof *bindings;
    paddr_t p = mem_alloc_contiguous(bytes);
    if (p == 0)
        return false;
    struct irq_binding *more = arch_phys_to_virt(p);
    memset(more, 0, bytes);
    memcpy(more, bindings, count * sizeof *bindings);
    if (bindings_phys != 0)
        mem_free_contiguous(bindings_phys, count * sizeof *bindings);
    bindings = more;
    bindings_phys = p;
    count *= 2;
    return true;
}

static struct sysret_value ret(err_t e) { return (struct sysret_value){e, 0}; }

static struct irq_binding *find(uint64_t line)
{
    for (unsigned i = 0; i < count; i++) {
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
    b->raised_ns = arch_now_ns();
    lmp_kernel_notify(t, b->bits);
    return true;
}

/* A driver that took its interrupt's notification and went back to waiting
 * for messages without acknowledging it is broken (a fault injected into it
 * found this: a handler never called). It must not keep the line quiet for
 * ever: on x86 the held-back EOI holds off every device interrupt of this
 * core at or below its priority, its neighbours' too. After ACK_DEADLINE_NS
 * it is ended, which gives the line back, and RS starts it again. A driver
 * still busy (runnable) or that has not yet taken the notification is left
 * alone. */
void irq_check_acks(uint64_t now)
{
    for (unsigned i = 0; i < count; i++) {
        struct irq_binding *b = &bindings[i];
        if (!b->used || !b->awaiting_ack || now - b->raised_ns < ACK_DEADLINE_NS)
            continue;
        struct dispatcher *d = dispatch_find(b->domain);
        if (d == NULL || d->state != D_RECEIVING || (d->notify_bits & b->bits) != 0)
            continue;
        dispatcher_kill(d, 9, DEATH_KILLED, b->line,
                        "it left its interrupt unacknowledged while waiting for messages");
    }
}

/* The line stays routed here until the monitors unroute it; the arch keeps
 * it quiet meanwhile. */
static void unbind(struct irq_binding *b)
{
    arch_irq_unbind_local(b->line, b->awaiting_ack);
    *b = (struct irq_binding){0};
}

void irq_on_death(const struct dispatcher *d)
{
    for (unsigned i = 0; i < count; i++) {
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
    unsigned i = 0;
    while (i < count && bindings[i].used)
        i++;
    if (i == count && !grow())
        return ret(ERR_NOMEM);
    b = &bindings[i];
    if ((err = arch_irq_bind_local(irq->base)) != OK)
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

/* (kernel, op, line, core): the monitors' side of routing. Routing programs the
 * shared controller, so only the boot core does it; forgetting is done by the
 * core the line was routed to, once monitor 0 has unrouted it. */
struct sysret_value irq_sys_kernel(struct dispatcher *d, const uint64_t a[6])
{
    struct cap *k;
    err_t err = cap_get(d, (capaddr_t)a[0], CAP_KERNEL, 0, &k);
    if (err != OK)
        return ret(err);
    uint64_t line = a[2];
    if (!arch_irq_valid(line))
        return ret(ERR_INVAL);
    switch (a[1]) {
    case KERNEL_IRQ_ROUTE:
        if (boot_self()->id != 0)
            return ret(ERR_PERM);
        if (a[3] >= boot_info()->core_count)
            return ret(ERR_INVAL);
        return ret(arch_irq_route(line, (coreid_t)a[3]));
    case KERNEL_IRQ_UNROUTE:
        if (boot_self()->id != 0)
            return ret(ERR_PERM);
        arch_irq_unroute(line);
        return ret(OK);
    case KERNEL_IRQ_FORGET:
        if (find(line) != NULL)
            return ret(ERR_PERM); /* bound here again meanwhile: it is that driver's */
        arch_irq_forget(line);
        return ret(OK);
    default:
        return ret(ERR_INVAL);
    }
}
