/* system.c — the rest of the system as a server under the fuzzing harness
 * sees it (harness.h): no other server answers (a channel finds its peer
 * dead), RAM and frames are the host's heap (a frame is mapped where
 * va_alloc put it), the clock moves on a microsecond per reading, and what a
 * server prints goes nowhere (FUZZ_VERBOSE=1 sends it to standard error). */
#include <chan.h>
#include <grant.h>
#include <proto_chan.h>
#include <proto_monitor_calls.h>
#include <ram.h>
#include <slot_alloc.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys.h>
#include <table.h>
#include <va_layout.h>

void sys_printf(const char *fmt, ...)
{
    static int verbose = -1;
    if (verbose < 0)
        verbose = getenv("FUZZ_VERBOSE") != NULL;
    if (!verbose)
        return;
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
}

uint64_t sys_now_ns(void)
{
    static uint64_t now = 1000000000ull;
    return now += 1000;
}

unsigned sys_core_id(void) { return 0; }
unsigned sys_core_count(void) { return 4; }

void sys_exit(int status)
{
    (void)status;
    abort(); /* a server never ends itself over a request */
}

err_t sys_alarm(uint64_t at_ns, uint64_t bits)
{
    (void)at_ns, (void)bits;
    return OK;
}

err_t cap_delete(capaddr_t slot)
{
    (void)slot;
    return OK;
}

err_t cap_identify(capaddr_t slot, struct cap_info *info)
{
    (void)slot, (void)info;
    return ERR_NOENT;
}

/* Frames and RAM are only names here: what a server maps is the memory
 * va_alloc gave it. Sizes past 64 MiB are refused, as a small machine would. */
#define RAM_MAX (64u << 20)

err_t cap_retype(capaddr_t ram, capaddr_t to, enum cap_type type, uint64_t bytes, uint64_t *phys)
{
    (void)ram, (void)to, (void)type;
    if (phys != NULL)
        *phys = 0x100000;
    return bytes <= RAM_MAX ? OK : ERR_NOMEM;
}

err_t frame_map(capaddr_t frame, uintptr_t va, int writable)
{
    (void)frame, (void)writable;
    return va != 0 ? OK : ERR_INVAL;
}

err_t ram_alloc(uint64_t bytes, capaddr_t slot, uint64_t *base)
{
    (void)slot;
    if (base != NULL)
        *base = 0x100000;
    return bytes <= RAM_MAX ? OK : ERR_NOMEM;
}

err_t slot_alloc(capaddr_t *out)
{
    static capaddr_t next = 4096;
    *out = next++;
    return OK;
}

void slot_free(capaddr_t slot) { (void)slot; }

err_t va_alloc(size_t bytes, uintptr_t *out)
{
    if (bytes == 0 || bytes > RAM_MAX)
        return ERR_NOMEM;
    void *p = aligned_alloc(4096, (bytes + 4095) / 4096 * 4096);
    if (p == NULL)
        return ERR_NOMEM;
    memset(p, 0, bytes);
    *out = (uintptr_t)p;
    return OK;
}

void va_free(uintptr_t va, size_t bytes)
{
    (void)bytes;
    free((void *)va);
}

/* A table on the host's heap, growing as lib/table's does. */
err_t table_fit(struct table *t, uint32_t n)
{
    if (n <= t->cap)
        return OK;
    uint32_t cap = t->cap ? t->cap : 16;
    while (cap < n)
        cap *= 2;
    void *items = realloc(t->items, (size_t)cap * t->elem);
    if (items == NULL)
        return ERR_NOMEM;
    memset((char *)items + (size_t)t->cap * t->elem, 0, (size_t)(cap - t->cap) * t->elem);
    t->items = items;
    t->cap = cap;
    return OK;
}

err_t chan_connect(const char *name, struct chan *c, uint64_t timeout_ns)
{
    (void)name, (void)c, (void)timeout_ns;
    return ERR_NOENT;
}

void chan_drop(struct chan *c) { (void)c; }

err_t chan_send(struct chan *c, const msg_t *m)
{
    (void)c, (void)m;
    return ERR_DEAD;
}

err_t chan_try_send(struct chan *c, const msg_t *m)
{
    (void)c, (void)m;
    return ERR_DEAD;
}

err_t proto_chan_call(struct chan *c, uint16_t type, const void *in, size_t in_bytes, void *out,
                      size_t out_bytes)
{
    (void)c, (void)type, (void)in, (void)in_bytes, (void)out, (void)out_bytes;
    return ERR_DEAD;
}

err_t proto_lmp_call(capaddr_t ep, uint16_t type, const void *in, size_t in_bytes, void *out,
                     size_t out_bytes, capaddr_t give, capaddr_t take)
{
    (void)ep, (void)type, (void)in, (void)in_bytes, (void)out, (void)out_bytes, (void)give,
        (void)take;
    return ERR_DEAD;
}

err_t grant_offer(struct chan *c, uint64_t bytes, struct grant *g)
{
    (void)c, (void)bytes, (void)g;
    return ERR_DEAD;
}

err_t grant_renew(struct chan *c, const struct grant *g)
{
    (void)c, (void)g;
    return ERR_DEAD;
}
