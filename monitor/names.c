/* names.c — the name service this monitor offers the domains of its core over
 * LMP (proto/ns.h), across cores. A registered name is announced to every other
 * monitor (MON_NAME), and withdrawn everywhere when the domain that registered
 * it ends (MON_UNNAME). A lookup of a name on this core returns the server's
 * endpoint; of a name on another core, a fresh zeroed UMP channel frame that
 * also lets the client wake that core, while the server's monitor is told
 * (MON_CONNECT) and hands the server its side (NS_CONNECTED). Every request and
 * message is checked; a bad one gets an error reply, never a crash. */
#include "monitor.h"

#include <lmp.h>
#include <proto/monitor.h>
#include <proto/ns.h>
#include <slot_alloc.h>
#include <string.h>
#include <sys.h>

struct name {
    char name[NS_NAME_MAX];
    unsigned core;   /* where the server is */
    capaddr_t slot;  /* this core's servers: the endpoint, in this monitor's space */
    uint32_t owner;  /* this core's servers: the domain that registered it */
    bool hears_ends; /* this core's servers: tell it when a client ends (NS_REGISTER_ENDS) */
};

static struct table name_table = MON_TABLE(struct name);
#define names    ((struct name *)name_table.items)
#define NS_COUNT ((int)name_table.cap)
static capaddr_t take;    /* where a capability that comes with a request lands */
static capaddr_t scratch; /* where new channel frames pass through */

/* NS_CONNECTED messages a busy server has not taken yet. */
struct pending {
    capaddr_t server, frame;
    unsigned peer;
    uint32_t peer_domain;
    uint64_t phys;
};
static struct table pending_table = MON_TABLE(struct pending);
#define pending ((struct pending *)pending_table.items)
static unsigned pending_count;

capaddr_t names_take_slot(void)
{
    if (take == 0 && slot_alloc(&take) != OK)
        take = 0;
    if (scratch == 0 && slot_alloc(&scratch) != OK)
        scratch = 0;
    return take;
}

static struct name *find(const char *name)
{
    for (int i = 0; i < NS_COUNT; i++) {
        if (names[i].name[0] != '\0' && strcmp(names[i].name, name) == 0)
            return &names[i];
    }
    return NULL;
}

static struct name *add(const char *name, unsigned core)
{
    int i = 0;
    while (i < NS_COUNT && names[i].name[0] != '\0')
        i++;
    if (i == NS_COUNT && !mon_table_fit(&name_table, (uint32_t)i + 1))
        return NULL;
    memcpy(names[i].name, name, NS_NAME_MAX);
    names[i].core = core;
    names[i].slot = 0;
    return &names[i];
}

static void announce(unsigned peer, const struct name *n, msg_t m)
{
    struct mon_name *mn = msg_payload(&m, struct mon_name);
    mn->core = mon.core;
    memcpy(mn->name, n->name, NS_NAME_MAX);
    mon_send(peer, &m);
}

static err_t do_register(const char *name, bool got_cap, uint32_t owner, uint32_t flags)
{
    struct cap_info info;
    if (!got_cap || cap_identify(take, &info) != OK || info.type != CAP_ENDPOINT)
        return ERR_INVAL;
    if (find(name) != NULL)
        return ERR_INVAL; /* taken */
    capaddr_t slot;
    if (slot_alloc(&slot) != OK)
        return ERR_NOSPACE;
    if (cap_copy(take, slot, CAP_RIGHTS_ALL) != OK) {
        slot_free(slot);
        return ERR_NOSPACE;
    }
    struct name *n = add(name, mon.core);
    if (n == NULL)
        return ERR_NOMEM;
    n->slot = slot;
    n->owner = owner;
    n->hears_ends = flags & NS_REGISTER_ENDS;
    for (unsigned c = 0; c < mon.ncores; c++) {
        if (c != mon.core && mon.peers[c].connected)
            announce(c, n, MSG(MON_NAME));
    }
    return OK;
}

void names_announce_all(unsigned peer)
{
    for (int i = 0; i < NS_COUNT; i++) {
        if (names[i].name[0] != '\0' && names[i].core == mon.core)
            announce(peer, &names[i], MSG(MON_NAME));
    }
}

static void deliver_pending(void);

/* Hands the server of name n (on this core) its side of a new channel. */
static err_t offer_channel(const struct name *n, unsigned client_core, uint32_t client_domain,
                           uint64_t phys)
{
    if (!mon_table_fit(&pending_table, pending_count + 1))
        return ERR_NOSPACE;
    capaddr_t slot;
    if (slot_alloc(&slot) != OK)
        return ERR_NOSPACE;
    err_t err = kernel_mint_channel(CAP_SLOT_KERNEL, slot, phys, NS_CHAN_BYTES, client_core);
    if (err != OK) {
        slot_free(slot);
        return err;
    }
    pending[pending_count].server = n->slot;
    pending[pending_count].frame = slot;
    pending[pending_count].peer = client_core;
    pending[pending_count].peer_domain = client_domain;
    pending[pending_count].phys = phys;
    pending_count++;
    deliver_pending();
    return OK;
}

/* A lookup of a name on another core (or one that asked for a channel): a
 * UMP channel to it. The client's side goes back in *give. */
static err_t connect_channel(const struct name *n, uint32_t client, capaddr_t *give,
                             struct ns_found *found)
{
    uint64_t phys;
    err_t err = channels_new_frame(&phys);
    if (err != OK)
        return err;
    capaddr_t slot;
    if (slot_alloc(&slot) != OK)
        return ERR_NOSPACE;
    if ((err = kernel_mint_channel(CAP_SLOT_KERNEL, slot, phys, NS_CHAN_BYTES, n->core)) != OK) {
        slot_free(slot);
        return err;
    }
    if (n->core == mon.core) {
        err = offer_channel(n, mon.core, client, phys);
    } else {
        msg_t m = MSG(MON_CONNECT);
        struct mon_connect *mc = msg_payload(&m, struct mon_connect);
        mc->client_core = mon.core;
        mc->client_domain = client;
        mc->phys = phys;
        memcpy(mc->name, n->name, NS_NAME_MAX);
        mon_send(n->core, &m);
    }
    if (err != OK) {
        (void)cap_delete(slot);
        slot_free(slot);
        return err;
    }
    channels_opened(phys, client, n->core, n->name);
    *give = slot;
    found->kind = NS_REMOTE;
    found->side = 0;
    found->peer_core = n->core;
    return OK;
}

/* Refusals other than an unknown name (an answer, not a fault) go on the console. */
static err_t said(const msg_t *m, uint32_t badge, err_t err)
{
    if (err != OK && err != ERR_NOENT)
        sys_printf("monitor %u: name service: request %u from domain %u refused: %s\n", mon.core,
                   m->type, badge, err_str(err));
    return err;
}

err_t serve_ns_register(const msg_t *m, struct mon_call *c)
{
    const struct ns_name *req = msg_payload_const(m, struct ns_name);
    return said(m, c->badge, do_register(req->name, c->got_cap, c->badge, req->flags));
}

err_t serve_ns_lookup(const msg_t *m, struct mon_call *c)
{
    const struct ns_name *req = msg_payload_const(m, struct ns_name);
    struct ns_found *found = msg_payload(&c->r, struct ns_found);
    struct name *n = find(req->name);
    if (n == NULL)
        return ERR_NOENT;
    if (n->core == mon.core && !(req->flags & NS_LOOKUP_CHANNEL)) {
        c->give = n->slot;
        c->keep = true;
        found->kind = NS_LOCAL;
        return OK;
    }
    return said(m, c->badge, connect_channel(n, c->badge, &c->give, found));
}

static void deliver_pending(void)
{
    for (unsigned i = 0; i < pending_count;) {
        msg_t m = MSG(NS_CONNECTED);
        struct ns_found *f = msg_payload(&m, struct ns_found);
        f->kind = NS_REMOTE;
        f->side = 1;
        f->peer_core = pending[i].peer;
        f->peer_domain = pending[i].peer_domain;
        err_t err = lmp_send(pending[i].server, &m, pending[i].frame, LMP_NONBLOCK);
        if (err == ERR_WOULDBLOCK) {
            i++;
            continue; /* the server is busy: try again later */
        }
        if (err != OK)
            sys_printf("monitor %u: cannot hand a channel to a server: %s\n", mon.core,
                       err_str(err));
        (void)cap_delete(pending[i].frame);
        slot_free(pending[i].frame);
        pending[i] = pending[--pending_count];
    }
}

err_t serve_mon_name(unsigned src, const msg_t *m)
{
    const struct mon_name *mn = msg_payload_const(m, struct mon_name);
    if (mn->core != src)
        return ERR_INVAL;
    struct name *n = find(mn->name);
    if (n != NULL)
        return n->core == src ? OK : ERR_INVAL; /* the same name on two cores */
    return add(mn->name, src) != NULL ? OK : ERR_NOMEM;
}

/* A domain of this core ended: the names it registered go, here and on every
 * other core, and so do channels offered to it that it never took. */
void names_domain_ended(uint32_t domain)
{
    for (int i = 0; i < NS_COUNT; i++) {
        struct name *n = &names[i];
        if (n->name[0] == '\0' || n->core != mon.core || n->owner != domain)
            continue;
        for (unsigned k = 0; k < pending_count;) {
            if (pending[k].server != n->slot) {
                k++;
                continue;
            }
            (void)cap_delete(pending[k].frame);
            slot_free(pending[k].frame);
            pending[k] = pending[--pending_count];
        }
        for (unsigned c = 0; c < mon.ncores; c++) {
            if (c != mon.core && mon.peers[c].connected)
                announce(c, n, MSG(MON_UNNAME));
        }
        channels_server_gone(n->slot);
        channels_server_ended(mon.core, n->name);
        (void)cap_delete(n->slot);
        slot_free(n->slot);
        memset(n, 0, sizeof *n);
    }
}

err_t serve_mon_unname(unsigned src, const msg_t *m)
{
    const struct mon_name *mn = msg_payload_const(m, struct mon_name);
    if (mn->core != src)
        return ERR_INVAL;
    struct name *n = find(mn->name);
    if (n == NULL || n->core != src)
        return ERR_NOENT;
    channels_server_ended(src, n->name);
    memset(n, 0, sizeof *n);
    return OK;
}

err_t serve_mon_connect(unsigned src, const msg_t *m)
{
    const struct mon_connect *mc = msg_payload_const(m, struct mon_connect);
    if (mc->client_core != src)
        return ERR_INVAL;
    struct name *n = find(mc->name);
    if (n == NULL || n->core != mon.core)
        return ERR_NOENT;
    return offer_channel(n, src, mc->client_domain, mc->phys);
}

bool names_cancel_offer(uint64_t phys)
{
    for (unsigned k = 0; k < pending_count; k++) {
        if (pending[k].phys != phys)
            continue;
        (void)cap_delete(pending[k].frame);
        slot_free(pending[k].frame);
        pending[k] = pending[--pending_count];
        return true;
    }
    return false;
}

bool names_server(const char *name, capaddr_t *ep, bool *hears_ends)
{
    const struct name *n = find(name);
    if (n == NULL || n->core != mon.core || n->slot == 0)
        return false;
    *ep = n->slot;
    *hears_ends = n->hears_ends;
    return true;
}

capaddr_t names_scratch_slot(void)
{
    (void)names_take_slot();
    return scratch;
}

void names_poll(void)
{
    if (pending_count > 0)
        deliver_pending();
}

bool names_pending(void) { return pending_count > 0; }
