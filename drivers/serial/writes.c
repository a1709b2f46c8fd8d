/* writes.c — the last write each client process had written, by its sequence
 * number (proto/console.h), so that a write sent again after a lost answer
 * is answered and not written twice. Keyed by the process (core and domain),
 * not the channel: a client cut off and connected again is the same writer.
 * Forgotten when the process ends, never before. */
#include "serial.h"

#include <table.h>

struct writer {
    bool used;
    unsigned core;
    uint32_t domain;
    uint64_t seq; /* the last written */
};

static struct table writers = {.elem = sizeof(struct writer)};

static struct writer *find(unsigned core, uint32_t domain)
{
    struct writer *w = writers.items;
    for (unsigned i = 0; i < writers.cap; i++) {
        if (w[i].used && w[i].core == core && w[i].domain == domain)
            return &w[i];
    }
    return NULL;
}

bool writes_done(const struct srv_client *c, uint64_t seq)
{
    if (c->local)
        return false;
    const struct writer *w = find(c->chan.peer_core, c->chan.peer_domain);
    return seq != 0 && w != NULL && w->seq == seq;
}

void writes_record(const struct srv_client *c, uint64_t seq)
{
    /* A caller over LMP has no channel whose end the driver would hear of:
     * its number would be kept for ever. */
    if (seq == 0 || c->local)
        return;
    struct writer *w = find(c->chan.peer_core, c->chan.peer_domain);
    unsigned i = 0;
    while (w == NULL && i < writers.cap && ((struct writer *)writers.items)[i].used)
        i++;
    if (w == NULL && table_fit(&writers, i + 1) != OK)
        return; /* no room: a repeat of this one would be written again */
    if (w == NULL)
        w = &((struct writer *)writers.items)[i];
    *w = (struct writer){true, c->chan.peer_core, c->chan.peer_domain, seq};
}

void writes_ended(struct srv *s, unsigned core, uint32_t domain)
{
    (void)s;
    struct writer *w = find(core, domain);
    if (w != NULL)
        w->used = false;
}
