/* channels.c — the pages of the UMP channels the name service makes: a dead
 * end hung up, and pages used again once both ends have let go. The client's
 * monitor made the page and remembers it. When either end dies it hangs up
 * that end in the page (the survivor's sends and the answer it waits for fail
 * with ERR_DEAD) and wakes the survivor's core. When the client ends it also tells the server's
 * monitor (MON_DISCONNECT), which tells the server if it asked to hear of ends (NS_DISCONNECTED).
 * The server drops that client's channels and says so (NS_CLOSED); its monitor checks with its CPU
 * driver that no domain there holds the page any more and tells the client's monitor
 * (MON_RELEASED), which checks the same on its core, zeroes the page and keeps it for the next
 * channel. A server that does not hear of ends keeps its pages until it ends
 * itself. No one's word is taken: a page is reused only when both CPU drivers
 * say nobody holds it. */
#include "monitor.h"

#include <lmp.h>
#include <proto/monitor.h>
#include <proto/ns.h>
#include <string.h>
#include <sys.h>
#include <ump.h>
#include <va_layout.h>

/* Channels made for this core's clients, still open. */
struct opened {
    bool used, closing, hung; /* hung: its server ended */
    uint64_t phys;
    uint32_t client;
    unsigned server_core;
    char name[NS_NAME_MAX];
};
static struct table open_table = MON_TABLE(struct opened);
#define opened   ((struct opened *)open_table.items)
#define OPEN_MAX open_table.cap

/* Zeroed pages ready for new channels. */
static struct table free_table = MON_TABLE(uint64_t);
#define free_pages ((uint64_t *)free_table.items)
static unsigned free_count, reused;

/* This core's servers told of a client's end, not done yet. */
struct closing {
    bool used, told;
    uint64_t phys;
    unsigned client_core;
    uint32_t client_domain;
    capaddr_t server;
};
static struct table closing_table = MON_TABLE(struct closing);
#define closes      ((struct closing *)closing_table.items)
#define CLOSING_MAX closing_table.cap

err_t channels_new_frame(uint64_t *phys)
{
    if (free_count > 0) {
        *phys = free_pages[--free_count];
        reused++;
        return OK;
    }
    return mon_phys_take(NS_CHAN_BYTES, phys); /* zero: both ends get their own capability */
}

void channels_opened(uint64_t phys, uint32_t client, unsigned server_core, const char *name)
{
    unsigned i = 0;
    while (i < OPEN_MAX && opened[i].used)
        i++;
    if (i == OPEN_MAX && !mon_table_fit(&open_table, i + 1))
        return; /* said on the console: this page will not be used again */
    opened[i].used = true;
    opened[i].closing = false;
    opened[i].hung = false;
    opened[i].phys = phys;
    opened[i].client = client;
    opened[i].server_core = server_core;
    memcpy(opened[i].name, name, NS_NAME_MAX);
}

err_t channels_may_open(uint32_t client)
{
    unsigned held = 0;
    for (unsigned i = 0; i < OPEN_MAX; i++)
        held +=
            opened[i].used && !opened[i].closing && !opened[i].hung && opened[i].client == client;
    return held < NS_CHANNELS_PER_DOMAIN ? OK : ERR_LIMIT;
}

static bool held_here(uint64_t phys)
{
    bool held;
    (void)kernel_held(CAP_SLOT_KERNEL, phys, NS_CHAN_BYTES, &held);
    return held;
}

/* Maps a page through a frame capability of it, for the moment; 0 if not. */
static uintptr_t map_page(uint64_t phys)
{
    capaddr_t scratch = names_scratch_slot();
    uintptr_t va;
    if (va_alloc(NS_CHAN_BYTES, &va) != OK)
        return 0;
    if (kernel_mint_frame(CAP_SLOT_KERNEL, scratch, phys, NS_CHAN_BYTES) == OK &&
        frame_map(scratch, va, 1) == OK)
        return va;
    (void)cap_delete(scratch);
    va_free(va, NS_CHAN_BYTES);
    return 0;
}

static void unmap_page(uintptr_t va)
{
    (void)cap_delete(names_scratch_slot()); /* unmaps it */
    va_free(va, NS_CHAN_BYTES);
}

/* Clears a page. */
static bool zero_page(uint64_t phys)
{
    uintptr_t va = map_page(phys);
    if (va == 0)
        return false;
    memset((void *)va, 0, NS_CHAN_BYTES);
    unmap_page(va);
    return true;
}

/* Hangs up side (0 the client, 1 the server) of the channel in page phys for
 * a domain that died, and wakes core, where the other side may be waiting. */
static void hang_up(uint64_t phys, int side, unsigned core)
{
    uintptr_t va = map_page(phys);
    if (va == 0) {
        sys_printf("monitor %u: cannot hang up a dead end of channel %lx\n", mon.core,
                   (unsigned long)phys);
        return;
    }
    (void)ump_chan_hang_up_side((void *)va, NS_CHAN_SLOTS, side);
    unmap_page(va);
    (void)kernel_wake(CAP_SLOT_KERNEL, core);
}

/* Client side: the server's monitor says its side let go of phys. */
static void on_released(uint64_t phys)
{
    for (unsigned i = 0; i < OPEN_MAX; i++) {
        if (!opened[i].used || !opened[i].closing || opened[i].phys != phys)
            continue;
        opened[i].used = false;
        if (mon_table_fit(&free_table, free_count + 1) && !held_here(phys) && zero_page(phys))
            free_pages[free_count++] = phys;
        return;
    }
}

static void released(unsigned client_core, uint64_t phys)
{
    if (client_core == mon.core) {
        on_released(phys);
        return;
    }
    msg_t m = MSG(MON_RELEASED);
    msg_payload(&m, struct mon_released)->phys = phys;
    mon_send(client_core, &m);
}

/* Server side: phys goes back if no domain of this core holds it. */
static void release_if_free(unsigned client_core, uint64_t phys)
{
    if (!held_here(phys))
        released(client_core, phys);
}

static void tell_servers(void)
{
    for (unsigned i = 0; i < CLOSING_MAX; i++) {
        if (!closes[i].used || closes[i].told)
            continue;
        msg_t m = MSG(NS_DISCONNECTED);
        *msg_payload(&m, struct ns_peer) =
            (struct ns_peer){closes[i].client_core, closes[i].client_domain};
        err_t err = lmp_send(closes[i].server, &m, 0, LMP_NONBLOCK);
        if (err == ERR_WOULDBLOCK)
            continue; /* busy: again on the next poll */
        closes[i].told = true;
        if (err != OK) { /* the server is gone */
            release_if_free(closes[i].client_core, closes[i].phys);
            closes[i].used = false;
        }
    }
}

/* Server side: a client on client_core ended; its channel to name was phys. */
static void on_disconnect(unsigned client_core, uint32_t client_domain, uint64_t phys,
                          const char *name)
{
    if (names_cancel_offer(phys)) { /* the server never took it */
        release_if_free(client_core, phys);
        return;
    }
    capaddr_t server;
    bool hears_ends;
    if (!names_server(name, &server, &hears_ends) || !hears_ends) {
        release_if_free(client_core, phys); /* only if the server is gone too */
        return;
    }
    unsigned i = 0;
    while (i < CLOSING_MAX && closes[i].used)
        i++;
    if (i == CLOSING_MAX && !mon_table_fit(&closing_table, i + 1))
        return; /* said on the console: this page stays with the server */
    closes[i].used = true;
    closes[i].told = false;
    closes[i].phys = phys;
    closes[i].client_core = client_core;
    closes[i].client_domain = client_domain;
    closes[i].server = server;
    tell_servers();
}

void channels_client_ended(uint32_t domain)
{
    for (unsigned i = 0; i < OPEN_MAX; i++) {
        if (!opened[i].used || opened[i].closing || opened[i].client != domain)
            continue;
        opened[i].closing = true;
        hang_up(opened[i].phys, 0, opened[i].server_core);
        if (opened[i].server_core == mon.core) {
            on_disconnect(mon.core, domain, opened[i].phys, opened[i].name);
            continue;
        }
        msg_t m = MSG(MON_DISCONNECT);
        struct mon_disconnect *md = msg_payload(&m, struct mon_disconnect);
        md->phys = opened[i].phys;
        md->client_core = mon.core;
        md->client_domain = domain;
        memcpy(md->name, opened[i].name, NS_NAME_MAX);
        mon_send(opened[i].server_core, &m);
    }
}

void channels_server_ended(unsigned server_core, const char *name)
{
    for (unsigned i = 0; i < OPEN_MAX; i++) {
        if (opened[i].used && !opened[i].closing && opened[i].server_core == server_core &&
            strncmp(opened[i].name, name, NS_NAME_MAX) == 0) {
            opened[i].hung = true;
            hang_up(opened[i].phys, 1, mon.core);
        }
    }
}

void channels_server_gone(capaddr_t server)
{
    for (unsigned i = 0; i < CLOSING_MAX; i++) {
        if (closes[i].used && closes[i].server == server) {
            release_if_free(closes[i].client_core, closes[i].phys);
            closes[i].used = false;
        }
    }
}

err_t serve_ns_channels(const msg_t *m, struct mon_call *c)
{
    (void)m;
    struct ns_channels *out = msg_payload(&c->r, struct ns_channels);
    for (unsigned i = 0; i < OPEN_MAX; i++) {
        out->open += opened[i].used && !opened[i].closing;
        out->closing += opened[i].used && opened[i].closing;
    }
    out->free = free_count;
    out->reused = reused;
    return OK;
}

/* A server's channels of that client are dropped. */
err_t serve_ns_closed(const msg_t *m, struct mon_call *c)
{
    (void)c;
    const struct ns_peer *p = msg_payload_const(m, struct ns_peer);
    for (unsigned i = 0; i < CLOSING_MAX; i++) {
        if (!closes[i].used || !closes[i].told || closes[i].client_core != p->core ||
            closes[i].client_domain != p->domain || held_here(closes[i].phys))
            continue;
        released(closes[i].client_core, closes[i].phys);
        closes[i].used = false;
    }
    return OK;
}

err_t serve_mon_disconnect(unsigned src, const msg_t *m)
{
    const struct mon_disconnect *md = msg_payload_const(m, struct mon_disconnect);
    if (md->client_core != src)
        return ERR_INVAL;
    on_disconnect(src, md->client_domain, md->phys, md->name);
    return OK;
}

err_t serve_mon_released(unsigned src, const msg_t *m)
{
    (void)src;
    on_released(msg_payload_const(m, struct mon_released)->phys);
    return OK;
}

void channels_poll(void) { tell_servers(); }

bool channels_pending(void)
{
    for (unsigned i = 0; i < CLOSING_MAX; i++) {
        if (closes[i].used && !closes[i].told)
            return true;
    }
    return false;
}
