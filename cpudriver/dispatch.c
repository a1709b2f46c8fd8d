/* dispatch.c — this core's dispatchers: creation, round-robin scheduling with
 * timer preemption, sleeping, and their end (exit or kill). Dispatchers live
 * in blocks: the first in this core's data, more from the CPU driver's pool
 * when all are taken. A block is never given back (a dispatcher's address is
 * held by others while it lives); a free entry is used again. */
#include <arch.h>
#include <boot.h>
#include <bootinfo.h>
#include <dispatch.h>
#include <irq.h>
#include <kchan.h>
#include <lmp_sys.h>
#include <mem.h>
#include <string.h>

#define BLOCK_DISPATCHERS 16

struct dblock {
    struct dispatcher d[BLOCK_DISPATCHERS];
};

static struct dblock first_block;
static struct dispatcher *slots_head, *slots_tail; /* every entry, through next_slot */
static struct dispatcher *current;
static uint32_t next_id = 1;
static bool monitor_up, ready_sent;
static unsigned boot_domains_alive;

struct dispatcher *dispatch_current(void) { return current; }

static void link_block(struct dblock *b)
{
    for (unsigned i = 0; i < BLOCK_DISPATCHERS; i++) {
        if (slots_tail != NULL)
            slots_tail->next_slot = &b->d[i];
        else
            slots_head = &b->d[i];
        slots_tail = &b->d[i];
    }
}

static struct dispatcher *slots(void)
{
    if (slots_head == NULL)
        link_block(&first_block);
    return slots_head;
}

#define FOR_EACH_SLOT(d) for (struct dispatcher *d = slots(); d != NULL; d = d->next_slot)

static struct dispatcher *free_entry(void)
{
    FOR_EACH_SLOT(d)
    {
        if (d->state == D_FREE)
            return d;
    }
    uint64_t bytes = ALIGN_UP(sizeof(struct dblock), PAGE_SIZE);
    paddr_t block = mem_alloc_contiguous(bytes);
    if (block == 0)
        return NULL;
    struct dblock *b = arch_phys_to_virt(block);
    memset(b, 0, bytes);
    link_block(b);
    return &b->d[0];
}

struct dispatcher *dispatcher_alloc(const char *name)
{
    struct dispatcher *d = free_entry();
    if (d == NULL)
        return NULL;
    struct dispatcher *next = d->next_slot;
    memset(d, 0, sizeof *d);
    d->next_slot = next;
    /* Ids are never reused while 2^32 domains have not started here: an
     * endpoint names its domain by id, so a message to a dead domain fails
     * (ERR_DEAD) instead of reaching its successor. Past the wrap, an id still
     * in use is skipped. */
    do
        d->id = next_id++;
    while (d->id == 0 || dispatch_find(d->id) != NULL);
    size_t n = strnlen(name, DISPATCHER_NAME_MAX - 1);
    memcpy(d->name, name, n);
    d->name[n] = '\0';
    return d;
}

static uint32_t monitor_id;

uint32_t dispatch_monitor_id(void) { return monitor_id; }

struct dispatcher *dispatch_find(uint32_t id)
{
    FOR_EACH_SLOT(d)
    {
        if (d->state != D_FREE && d->id == id)
            return d;
    }
    return NULL;
}

NORETURN void dispatch_switch_to(struct dispatcher *d)
{
    current = d;
    arch_resume(d);
}

static struct dispatcher *live_from(struct dispatcher *d)
{
    while (d != NULL && d->state == D_FREE)
        d = d->next_slot;
    return d;
}

struct dispatcher *dispatch_first(void) { return live_from(slots()); }

struct dispatcher *dispatch_next(struct dispatcher *d) { return live_from(d->next_slot); }

void dispatch_wake_all(void)
{
    FOR_EACH_SLOT(d)
    {
        if (d->state == D_WAITING)
            d->state = D_RUNNABLE;
        else if (d->state != D_FREE && !lmp_wake(d))
            d->wake_pending = true;
    }
}

struct range {
    paddr_t base;
    uint64_t size;
};

static bool overlaps(const struct cap *c, const void *arg)
{
    const struct range *r = arg;
    bool memory = c->type == CAP_RAM || c->type == CAP_FRAME || c->type == CAP_CNODE;
    return memory && c->base < r->base + r->size && r->base < c->base + c->size;
}

bool dispatch_memory_held(const struct dispatcher *except, paddr_t base, uint64_t size)
{
    struct range r = {base, size};
    FOR_EACH_SLOT(o)
    {
        if (o != except && o->state != D_FREE && cspace_any(o, overlaps, &r))
            return true;
    }
    return false;
}

static void release(struct dispatcher *d)
{
    linebuf_flush(&d->out);
    lmp_on_death(d);
    irq_on_death(d);
    klog_on_death(d);
    /* Its RAM goes back unless something of it was passed to another domain
     * here (then it stays allocated: a leak rather than a use after free). */
    if (d->ram_size != 0 && !dispatch_memory_held(d, d->ram_base, d->ram_size))
        mem_free_contiguous(d->ram_base, d->ram_size);
    cspace_destroy(d);
    arch_vspace_destroy(d);
    if (d->boot_domain && boot_domains_alive > 0)
        boot_domains_alive--;
    d->state = D_FREE;
    if (current == d)
        current = NULL;
    dispatch_check_ready();
}

void dispatcher_kill(struct dispatcher *d, unsigned signal, enum death_cause cause, uint64_t addr,
                     const char *why)
{
    if (why != NULL)
        kprintf("domain %s (core %u) killed: %s\n", d->name, boot_self()->id, why);
    deaths_record(d, &(struct death_how){.signal = signal, .cause = cause, .addr = addr});
    release(d);
}

/* Boot domains and monitors say how they ended; a process's parent hears of it
 * from PM instead. */
void dispatcher_exit(struct dispatcher *d, int status)
{
    if (d->boot_domain || d->is_monitor)
        kprintf("domain %s (core %u) exited with status %d\n", d->name, boot_self()->id, status);
    deaths_record(d, &(struct death_how){.status = status, .cause = DEATH_EXIT});
    release(d);
}

void dispatch_monitor_up(void)
{
    monitor_up = true;
    dispatch_check_ready();
}

void dispatch_check_ready(void)
{
    if (monitor_up && boot_domains_alive == 0 && !ready_sent) {
        ready_sent = true;
        boot_local_ready();
    }
}

void dispatch_start(struct dispatcher *d, bool is_monitor, bool boot_domain)
{
    if (is_monitor)
        monitor_id = d->id;
    d->is_monitor = is_monitor;
    d->boot_domain = boot_domain;
    d->state = D_RUNNABLE;
    if (boot_domain)
        boot_domains_alive++;
}

/* Sleepers whose time came run again, and alarms that are due fire. */
static void wake_sleepers(uint64_t now)
{
    FOR_EACH_SLOT(d)
    {
        if ((d->state == D_SLEEPING || d->state == D_WAITING) && d->wake_ns <= now)
            d->state = D_RUNNABLE;
        if (d->state != D_FREE)
            alarm_due(d, now);
    }
}

void dispatch_tick(void)
{
    uint64_t now = arch_now_ns();
    wake_sleepers(now);
    irq_check_acks(now);
}

/* Round-robin: the first runnable dispatcher after the current one. */
static struct dispatcher *pick(void)
{
    struct dispatcher *start = current && current->next_slot ? current->next_slot : slots();
    struct dispatcher *d = start;
    do {
        if (d->state == D_RUNNABLE)
            return d;
        d = d->next_slot != NULL ? d->next_slot : slots_head;
    } while (d != start);
    return NULL;
}

NORETURN void schedule(void)
{
    for (;;) {
        wake_sleepers(arch_now_ns());
        struct dispatcher *d = pick();
        if (d != NULL) {
            current = d;
            arch_resume(d);
        }
        current = NULL;
        if (boot_self()->id == 0)
            kchan_poll();
        arch_wait_for_interrupt();
    }
}
