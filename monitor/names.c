/* names.c — the name service this monitor offers the domains of its core over
 * LMP (proto/ns.h), across cores. Each name has a home: the monitor a hash of
 * the name picks among the cores online. A registration asks the home to claim
 * the name (MON_CLAIM: the first claim wins, a second gets ERR_EXIST), and a
 * lookup of a name this core does not serve asks the home where its server is
 * (MON_FIND): one round trip, whatever the number of cores. A lookup of a name
 * on this core returns the server's endpoint; of a name on another core, a
 * fresh zeroed UMP channel frame that also lets the client wake that core,
 * while the server's monitor is told (MON_CONNECT) and hands the server its
 * side (NS_CONNECTED). When the server ends, its monitor tells the home and
 * every core that has a client of it (MON_UNNAME). A core keeps the homes'
 * answers for names served on other cores, so a lookup asks a name's home
 * only the first time; MON_UNNAME drops the answer. Every request and message
 * is checked; a bad one gets an error reply, never a crash. */
#include "monitor.h"

#include <lmp.h>
#include <proto/monitor.h>
#include <proto/ns.h>
#include <slot_alloc.h>
#include <string.h>
#include <sys.h>

/* A name a server of this core registered. */
struct name {
    char name[NS_NAME_MAX];
    capaddr_t slot;                         /* the endpoint, in this monitor's space */
    uint32_t owner;                         /* the domain that registered it */
    bool hears_ends;                        /* tell it when a client ends (NS_REGISTER_ENDS) */
    uint8_t client_cores[MON_ONLINE_BYTES]; /* the cores its clients are on */
};

static struct table name_table = MON_TABLE(struct name);
#define names    ((struct name *)name_table.items)
#define NS_COUNT ((int)name_table.cap)

/* A name this monitor is the home of, and the core of its server. */
struct homed {
    char name[NS_NAME_MAX];
    unsigned core;
};
static struct table homed_table = MON_TABLE(struct homed);
#define homes       ((struct homed *)homed_table.items)
#define HOMED_COUNT ((int)homed_table.cap)

/* The cache of homes' answers: a name served on another core, and that core.
 * An entry is made only once this core's MON_CONNECT to the server's monitor
 * is on its way, so that monitor has this core among its clients' and will
 * say when the server ends (or, if it ended already, answers the connect with
 * MON_UNNAME): the entry goes then. */
struct cached {
    char name[NS_NAME_MAX];
    unsigned core;
};
static struct table cache_table = MON_TABLE(struct cached);
#define cache       ((struct cached *)cache_table.items)
#define CACHE_COUNT ((int)cache_table.cap)
static uint32_t lookups_home, lookups_cached;

static capaddr_t take;    /* where a capability that comes with a request lands */
static capaddr_t scratch; /* where new channel frames pass through */

/* NS_CONNECTED messages a busy server has not taken yet. A server that is
 * never waiting in a receive when the monitor tries (one kept busy by its
 * clients) is told once (NOTIFY_CHANNEL_WAITING) and takes them itself with
 * NS_PENDING: a monitor never waits on a server. */
struct pending {
    capaddr_t server, frame;
    unsigned peer;
    uint32_t peer_domain;
    uint32_t server_domain;
    bool told;
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

static struct name *add(const char *name)
{
    int i = 0;
    while (i < NS_COUNT && names[i].name[0] != '\0')
        i++;
    if (i == NS_COUNT && !mon_table_fit(&name_table, (uint32_t)i + 1))
        return NULL;
    memset(&names[i], 0, sizeof names[i]);
    memcpy(names[i].name, name, NS_NAME_MAX);
    return &names[i];
}

/* The home of name: a hash of it (FNV-1a) over the cores online. */
static unsigned home_of(const char *name)
{
    mesh_wait_online();
    uint32_t h = 2166136261u;
    for (const char *p = name; *p != '\0'; p++)
        h = (h ^ (uint8_t)*p) * 16777619u;
    unsigned k = h % mon.online_count;
    for (unsigned c = 0; c < mon.ncores; c++) {
        if (mon.online[c] && k-- == 0)
            return c;
    }
    return 0;
}

static struct homed *homed_find(const char *name)
{
    for (int i = 0; i < HOMED_COUNT; i++) {
        if (homes[i].name[0] != '\0' && strcmp(homes[i].name, name) == 0)
            return &homes[i];
    }
    return NULL;
}

/* As home: core's server takes name, unless another has it. */
static err_t homed_claim(const char *name, unsigned core)
{
    if (homed_find(name) != NULL)
        return ERR_EXIST;
    int i = 0;
    while (i < HOMED_COUNT && homes[i].name[0] != '\0')
        i++;
    if (i == HOMED_COUNT && !mon_table_fit(&homed_table, (uint32_t)i + 1))
        return ERR_NOMEM;
    memcpy(homes[i].name, name, NS_NAME_MAX);
    homes[i].core = core;
    return OK;
}

/* As home: the server of name on core is gone. */
static void homed_drop(const char *name, unsigned core)
{
    struct homed *h = homed_find(name);
    if (h != NULL && h->core == core)
        memset(h, 0, sizeof *h);
}

static struct cached *cache_find(const char *name)
{
    for (int i = 0; i < CACHE_COUNT; i++) {
        if (cache[i].name[0] != '\0' && strcmp(cache[i].name, name) == 0)
            return &cache[i];
    }
    return NULL;
}

/* A table that cannot grow keeps no entry: lookups ask the home. */
static void cache_put(const char *name, unsigned core)
{
    if (cache_find(name) != NULL)
        return;
    int i = 0;
    while (i < CACHE_COUNT && cache[i].name[0] != '\0')
        i++;
    if (i == CACHE_COUNT && !mon_table_fit(&cache_table, (uint32_t)i + 1))
        return;
    memcpy(cache[i].name, name, NS_NAME_MAX);
    cache[i].core = core;
}

static void cache_drop(const char *name, unsigned core)
{
    struct cached *k = cache_find(name);
    if (k != NULL && k->core == core)
        memset(k, 0, sizeof *k);
}

void names_counts(uint32_t *home, uint32_t *cached)
{
    *home = lookups_home;
    *cached = lookups_cached;
}

/* Asks name's home a question about it (MON_CLAIM or MON_FIND); the answer's
 * err_t, and the server's core in *core. */
static err_t ask_home(uint16_t type, const char *name, unsigned *core)
{
    unsigned home = home_of(name);
    if (home == mon.core) {
        if (type == MON_CLAIM)
            return homed_claim(name, mon.core);
        const struct homed *h = homed_find(name);
        if (h == NULL)
            return ERR_NOENT;
        *core = h->core;
        return OK;
    }
    msg_t m = {.type = type, .len = MON_CLAIM_LEN}, r;
    struct mon_claim *q = msg_payload(&m, struct mon_claim);
    q->core = mon.core;
    memcpy(q->name, name, NS_NAME_MAX);
    err_t err = mon_ask(home, &m, MON_FOUND, &r);
    if (err != OK)
        return err;
    const struct mon_found *f = msg_payload_const(&r, struct mon_found);
    *core = f->core;
    return (err_t)f->err;
}

/* Tells core that the server of name here is gone (the home drops it; a
 * client core hangs up its clients' channels to it). */
static void unname(unsigned core, const char *name)
{
    msg_t m = MSG(MON_UNNAME);
    struct mon_name *mn = msg_payload(&m, struct mon_name);
    mn->core = mon.core;
    memcpy(mn->name, name, NS_NAME_MAX);
    mon_send(core, &m);
}

/* The entry goes in first: while the home answers the claim, this monitor
 * serves the others, and a client the home already sent here must find it. */
static err_t do_register(const char *name, bool got_cap, uint32_t owner, uint32_t flags)
{
    struct cap_info info;
    if (!got_cap || cap_identify(take, &info) != OK || info.type != CAP_ENDPOINT)
        return ERR_INVAL;
    if (find(name) != NULL)
        return ERR_EXIST;
    capaddr_t slot;
    if (slot_alloc(&slot) != OK)
        return ERR_NOSPACE;
    struct name *n = NULL;
    if (cap_copy(take, slot, CAP_RIGHTS_ALL) != OK || (n = add(name)) == NULL) {
        (void)cap_delete(slot);
        slot_free(slot);
        return n == NULL ? ERR_NOMEM : ERR_NOSPACE;
    }
    n->slot = slot;
    n->owner = owner;
    n->hears_ends = flags & NS_REGISTER_ENDS;
    unsigned core;
    err_t err = ask_home(MON_CLAIM, name, &core);
    if (err != OK) {
        n = find(name); /* the table may have grown meanwhile */
        if (n != NULL)
            memset(n, 0, sizeof *n);
        (void)cap_delete(slot);
        slot_free(slot);
    }
    return err;
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
    pending[pending_count].server_domain = n->owner;
    pending[pending_count].told = false;
    pending_count++;
    deliver_pending();
    return OK;
}

static void note_client(struct name *n, unsigned core)
{
    n->client_cores[core / 8] |= (uint8_t)(1u << (core % 8));
}

/* A lookup of a name on another core (or one that asked for a channel): a
 * UMP channel to its server on core. The client's side goes back in *give. */
static err_t connect_channel(const char *name, unsigned core, uint32_t client, capaddr_t *give,
                             struct ns_found *found)
{
    err_t err = channels_may_open(client);
    uint64_t phys;
    if (err != OK || (err = channels_new_frame(&phys)) != OK)
        return err;
    capaddr_t slot;
    if (slot_alloc(&slot) != OK)
        return ERR_NOSPACE;
    if ((err = kernel_mint_channel(CAP_SLOT_KERNEL, slot, phys, NS_CHAN_BYTES, core)) != OK) {
        slot_free(slot);
        return err;
    }
    if (core == mon.core) {
        struct name *n = find(name);
        err = n != NULL ? offer_channel(n, mon.core, client, phys) : ERR_NOENT;
        if (err == OK)
            note_client(n, mon.core);
    } else {
        msg_t m = MSG(MON_CONNECT);
        struct mon_connect *mc = msg_payload(&m, struct mon_connect);
        mc->client_core = mon.core;
        mc->client_domain = client;
        mc->phys = phys;
        memcpy(mc->name, name, NS_NAME_MAX);
        mon_send(core, &m);
    }
    if (err != OK) {
        (void)cap_delete(slot);
        slot_free(slot);
        return err;
    }
    channels_opened(phys, client, core, name);
    *give = slot;
    found->kind = NS_REMOTE;
    found->side = 0;
    found->peer_core = core;
    return OK;
}

/* Refusals other than an unknown name (an answer, not a fault) go on the console. */
static err_t said(const msg_t *m, uint32_t badge, err_t err)
{
    if (err != OK && err != ERR_NOENT)
        mon_refusal("monitor %u: name service: request %u from domain %u refused: %s\n", mon.core,
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
    if (n != NULL && !(req->flags & NS_LOOKUP_CHANNEL)) {
        c->give = n->slot;
        c->keep = true;
        found->kind = NS_LOCAL;
        return OK;
    }
    unsigned core = mon.core;
    err_t err = OK;
    const struct cached *k = n == NULL ? cache_find(req->name) : NULL;
    if (k != NULL) {
        core = k->core;
        lookups_cached++;
    } else if (n == NULL) {
        err = ask_home(MON_FIND, req->name, &core);
        lookups_home++;
    }
    if (err == OK)
        err = connect_channel(req->name, core, c->badge, &c->give, found);
    if (err == OK && k == NULL && core != mon.core)
        cache_put(req->name, core);
    return said(m, c->badge, err);
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
            if (!pending[i].told) /* busy: it may take it (NS_PENDING) before the retry */
                pending[i].told = lmp_notify(pending[i].server, NOTIFY_CHANNEL_WAITING) == OK;
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

err_t serve_ns_pending(const msg_t *m, struct mon_call *c)
{
    (void)m;
    for (unsigned i = 0; i < pending_count; i++) {
        if (pending[i].server_domain != c->badge)
            continue;
        struct ns_found *f = msg_payload(&c->r, struct ns_found);
        f->kind = NS_REMOTE;
        f->side = 1;
        f->peer_core = pending[i].peer;
        f->peer_domain = pending[i].peer_domain;
        c->give = pending[i].frame; /* let go once it is sent */
        pending[i] = pending[--pending_count];
        return OK;
    }
    return ERR_NOENT;
}

/* As home: a claim or a question about a name. */
static err_t answer_home(unsigned src, const msg_t *m)
{
    const struct mon_claim *q = msg_payload_const(m, struct mon_claim);
    msg_t r = MSG(MON_FOUND);
    struct mon_found *f = msg_payload(&r, struct mon_found);
    f->seq = q->seq;
    if (home_of(q->name) != mon.core) {
        f->err = ERR_INVAL; /* not its home: the asker's table of cores differs */
    } else if (m->type == MON_CLAIM) {
        f->err = q->core == src ? homed_claim(q->name, src) : ERR_INVAL;
        f->core = src;
    } else {
        const struct homed *h = homed_find(q->name);
        f->err = h != NULL ? OK : ERR_NOENT;
        f->core = h != NULL ? h->core : 0;
    }
    mon_send(src, &r);
    return OK;
}

err_t serve_mon_claim(unsigned src, const msg_t *m) { return answer_home(src, m); }
err_t serve_mon_find(unsigned src, const msg_t *m) { return answer_home(src, m); }

/* A domain of this core ended: the names it registered go, at their homes and
 * on every core that has a client of them, and so do channels offered to it
 * that it never took. */
void names_domain_ended(uint32_t domain)
{
    for (int i = 0; i < NS_COUNT; i++) {
        struct name *n = &names[i];
        if (n->name[0] == '\0' || n->owner != domain)
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
        unsigned home = home_of(n->name);
        if (home == mon.core)
            homed_drop(n->name, mon.core);
        else
            unname(home, n->name);
        for (unsigned c = 0; c < mon.ncores; c++) {
            bool client = (n->client_cores[c / 8] >> (c % 8)) & 1;
            if (client && c != mon.core && c != home)
                unname(c, n->name);
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
    homed_drop(mn->name, src);
    cache_drop(mn->name, src);
    channels_server_ended(src, mn->name);
    return OK;
}

err_t serve_mon_connect(unsigned src, const msg_t *m)
{
    const struct mon_connect *mc = msg_payload_const(m, struct mon_connect);
    if (mc->client_core != src)
        return ERR_INVAL;
    struct name *n = find(mc->name);
    if (n == NULL) { /* its server ended meanwhile: the client's channel is hung up */
        unname(src, mc->name);
        return OK;
    }
    note_client(n, src);
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
    if (n == NULL || n->slot == 0)
        return false;
    *ep = n->slot;
    *hears_ends = n->hears_ends;
    return true;
}

bool names_owned_here(const char *name, uint32_t domain)
{
    const struct name *n = find(name);
    return n != NULL && n->slot != 0 && n->owner == domain; /* the table holds this core's only */
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
