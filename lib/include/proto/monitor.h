/* proto/monitor.h — the inter-monitor protocol. Monitors talk only over UMP
 * channels. At boot the monitors form a tree of degree D (the kernel option
 * mondegree=D, default MON_TREE_DEGREE): core K > 0's parent is (K - 1) / D,
 * and each monitor has a channel to its parent and to each child (frames the
 * boot core's CPU driver set aside). Membership travels down the tree. Two
 * other monitors get a channel of their own when one of them first sends to
 * the other: the lower-numbered one makes it, and the tree carries the news
 * (MON_CHAN_ASK, MON_PEER_CHAN), so a boot needs O(N) channels, not O(N^2),
 * and no monitor serves everyone. Each name has a home monitor (a
 * hash of the name over the cores online) that decides who registers it and
 * answers lookups. Every message is checked by its receiver; a bad one gets
 * an error reply and a log line, never a crash. */
#ifndef PROTO_MONITOR_H
#define PROTO_MONITOR_H

#include <dev_abi.h>
#include <msg.h>
#include <proto.h>
#include <proto/ns.h>
#include <stdint.h>

/* The boot channels, between each monitor K > 0 and its parent in the tree:
 * one region for all, core K's at offset (K - 1) * MON_BOOT_CHAN_BYTES; the
 * parent is side 0. */
#define MON_BOOT_CHAN_SLOTS 64
#define MON_BOOT_CHAN_BYTES 12288 /* UMP_CHAN_BYTES(64), rounded up to pages */

/* Mesh channels: one page each; the lower-numbered core is side 0. */
#define MON_MESH_CHAN_SLOTS 16
#define MON_MESH_CHAN_BYTES 4096

/* The boot tree's degree: the kernel option mondegree=D, within these. */
#define MON_TREE_DEGREE     4
#define MON_TREE_DEGREE_MAX 64

#define MON_ONLINE_BYTES 32                     /* a bitmap of up to 256 cores */
#define MON_MAX_CORES    (MON_ONLINE_BYTES * 8) /* the most cores a monitor knows of */

struct mon_hello {
    uint32_t core;                    /* the sender */
    uint32_t online_count;            /* from the parent: how many cores are online ... */
    uint8_t online[MON_ONLINE_BYTES]; /* ... and which */
};
MSG_PAYLOAD_FITS(struct mon_hello);

struct mon_peer_chan {
    uint32_t peer;  /* the core at the other end: the one that made it */
    uint32_t side;  /* the receiver's side: 1 */
    uint64_t phys;  /* the channel's frame, zeroed */
    uint64_t bytes; /* MON_MESH_CHAN_BYTES */
    uint32_t to;    /* the receiver; monitors on the way forward it */
};
MSG_PAYLOAD_FITS(struct mon_peer_chan);

struct mon_ping {
    uint64_t seq;
};
MSG_PAYLOAD_FITS(struct mon_ping);

struct mon_name {
    uint32_t core;          /* where the name lives (the sender) */
    char name[NS_NAME_MAX]; /* NUL-terminated */
};
MSG_PAYLOAD_FITS(struct mon_name);

/* K -> home: register name for a server on core (MON_CLAIM), or where is
 * name (MON_FIND, core unused); the home answers with a struct mon_found. */
struct mon_claim {
    uint32_t seq;
    uint32_t core;
    char name[NS_NAME_MAX];
};
MSG_PAYLOAD_FITS(struct mon_claim);

struct mon_found {
    uint32_t seq;
    uint32_t err;  /* OK, ERR_EXIST (a claim of a taken name), ERR_NOENT (not found) */
    uint32_t core; /* where its server is */
};
MSG_PAYLOAD_FITS(struct mon_found);

struct mon_chan_ask {
    uint32_t peer; /* the monitor the asker wants a channel to; lower than asker */
    uint32_t asker;
};
MSG_PAYLOAD_FITS(struct mon_chan_ask);

struct mon_connect {
    uint32_t client_core;   /* the sender */
    uint32_t client_domain; /* who asked, on client_core */
    uint64_t phys;          /* the channel frame, NS_CHAN_BYTES, zeroed; the server is side 1 */
    char name[NS_NAME_MAX]; /* NUL-terminated */
};
MSG_PAYLOAD_FITS(struct mon_connect);

struct mon_disconnect {
    uint64_t phys; /* the channel frame J made */
    uint32_t client_core, client_domain;
    char name[NS_NAME_MAX]; /* the server's name */
};
MSG_PAYLOAD_FITS(struct mon_disconnect);

struct mon_released {
    uint64_t phys;
};
MSG_PAYLOAD_FITS(struct mon_released);

struct mon_ram {
    uint32_t seq; /* chosen by the asking monitor, echoed in the answer */
    uint32_t err;
    uint64_t phys;
    uint64_t bytes;
};
MSG_PAYLOAD_FITS(struct mon_ram);

struct mon_meminfo {
    uint32_t seq;
    uint32_t pad;
    struct ns_meminfo info;
};
MSG_PAYLOAD_FITS(struct mon_meminfo);

struct mon_irq {
    uint32_t seq;   /* chosen by the asking monitor, echoed in MON_IRQ_DONE */
    uint32_t route; /* 1: to the sender's core; 0: nowhere */
    uint64_t line;
};
MSG_PAYLOAD_FITS(struct mon_irq);

struct mon_irq_done {
    uint32_t seq;
    uint32_t err; /* an err_t */
};
MSG_PAYLOAD_FITS(struct mon_irq_done);

struct mon_export {
    uint32_t seq; /* chosen by the asking monitor, echoed in the answer */
    uint32_t id;
    uint32_t err;
    uint32_t pad;
    uint64_t phys;
    uint64_t bytes;
};
MSG_PAYLOAD_FITS(struct mon_export);

struct mon_spawn {
    uint32_t seq;       /* chosen by the asking monitor, echoed in MON_SPAWNED */
    uint32_t flags;     /* NS_SPAWN_WATCH: report its end to the sender; NS_SPAWN_IMAGE */
    uint64_t args_phys; /* a frame with a struct spawn_blob, or 0 */
    uint32_t image;     /* with NS_SPAWN_IMAGE: the image's bytes after the blob */
    char module[NS_MODULE_MAX];
};
MSG_PAYLOAD_FITS(struct mon_spawn);

struct mon_spawned {
    uint32_t seq;
    uint32_t err; /* an err_t */
    uint32_t domain;
};
MSG_PAYLOAD_FITS(struct mon_spawned);

struct mon_error {
    uint16_t bad_type; /* the type of the message refused */
    uint16_t err;      /* an err_t */
};
MSG_PAYLOAD_FITS(struct mon_error);

/* Checks of fields a receiver can make before its handler runs (proto.h);
 * what depends on the sender or on the receiver's state is the handler's. */
static inline bool mon_core_ok(uint32_t core) { return core < MON_MAX_CORES; }
static inline bool mon_page_ok(uint64_t phys) { return (phys & 0xfff) == 0; }
static inline bool mon_hello_ok(const void *p)
{
    const struct mon_hello *h = p;
    return mon_core_ok(h->core) && h->online_count <= MON_MAX_CORES;
}
static inline bool mon_peer_chan_ok(const void *p)
{
    const struct mon_peer_chan *c = p;
    return mon_core_ok(c->peer) && mon_core_ok(c->to) && c->peer < c->to && c->side == 1 &&
           c->bytes == MON_MESH_CHAN_BYTES && mon_page_ok(c->phys);
}
static inline bool mon_error_ok(const void *p)
{
    return ((const struct mon_error *)p)->err < ERR__COUNT;
}
static inline bool mon_name_ok(const void *p)
{
    const struct mon_name *n = p;
    return mon_core_ok(n->core) && proto_str_ok(n->name, NS_NAME_MAX);
}
static inline bool mon_claim_ok(const void *p)
{
    const struct mon_claim *c = p;
    return mon_core_ok(c->core) && proto_str_ok(c->name, NS_NAME_MAX);
}
static inline bool mon_found_ok(const void *p)
{
    const struct mon_found *f = p;
    return f->err < ERR__COUNT && mon_core_ok(f->core);
}
static inline bool mon_chan_ask_ok(const void *p)
{
    const struct mon_chan_ask *a = p;
    return mon_core_ok(a->peer) && mon_core_ok(a->asker) && a->peer < a->asker;
}
static inline bool mon_connect_ok(const void *p)
{
    const struct mon_connect *c = p;
    return mon_core_ok(c->client_core) && mon_page_ok(c->phys) &&
           proto_str_ok(c->name, NS_NAME_MAX);
}
static inline bool mon_spawn_ok(const void *p)
{
    const struct mon_spawn *s = p;
    bool image = s->flags & NS_SPAWN_IMAGE;
    return mon_page_ok(s->args_phys) && proto_str_ok(s->module, NS_MODULE_MAX) &&
           (image ? s->image != 0 && s->args_phys != 0 : s->image == 0);
}
/* An answer's err field: the second word of mon_spawned, mon_ram and mon_irq_done. */
_Static_assert(offsetof(struct mon_spawned, err) == 4 && offsetof(struct mon_ram, err) == 4 &&
                   offsetof(struct mon_irq_done, err) == 4,
               "an answer's err is its second word");
static inline bool mon_answer_ok(const void *p) { return ((const uint32_t *)p)[1] < ERR__COUNT; }
static inline bool mon_died_ok(const void *p)
{
    return mon_core_ok(((const struct ns_death *)p)->core);
}
static inline bool mon_kill_ok(const void *p)
{
    const struct ns_kill *k = p;
    return mon_core_ok(k->core) && k->signal > 0 && k->signal < 64;
}
static inline bool mon_disconnect_ok(const void *p)
{
    const struct mon_disconnect *d = p;
    return mon_core_ok(d->client_core) && mon_page_ok(d->phys) &&
           proto_str_ok(d->name, NS_NAME_MAX);
}
static inline bool mon_released_ok(const void *p)
{
    return mon_page_ok(((const struct mon_released *)p)->phys);
}
static inline bool mon_ram_ok(const void *p)
{
    const struct mon_ram *r = p;
    return r->bytes > 0 && mon_page_ok(r->bytes) && mon_page_ok(r->phys);
}
static inline bool mon_ram_lent_ok(const void *p)
{
    return mon_answer_ok(p) && mon_page_ok(((const struct mon_ram *)p)->phys);
}
static inline bool mon_exported_ok(const void *p)
{
    return ((const struct mon_export *)p)->err < ERR__COUNT;
}
static inline bool mon_irq_ok(const void *p)
{
    const struct mon_irq *q = p;
    return q->route <= 1 && q->line < IRQ_LINES_MAX;
}

/* A broadcast (ns.h's struct ns_broadcast) on its way down from root, and
 * the acknowledgement of a subtree on its way up, with the subtree's counts. */
struct mon_bcast {
    uint32_t id; /* the root's number for it */
    uint32_t root;
    uint32_t mode;
    uint32_t degree;
};
MSG_PAYLOAD_FITS(struct mon_bcast);
struct mon_bcast_ack {
    uint32_t id;
    uint32_t root;
    uint32_t cores;    /* in the subtree, its top included */
    uint32_t messages; /* the subtree's, the BCAST to its top and this ACK included */
    uint32_t rounds;   /* hops on its longest path down and back */
};
MSG_PAYLOAD_FITS(struct mon_bcast_ack);

struct mon_stats {
    uint32_t seq;
    uint32_t pad;
    struct ns_monstats stats;
};
MSG_PAYLOAD_FITS(struct mon_stats);

static inline bool mon_bcast_ok(const void *p)
{
    const struct mon_bcast *b = p;
    return mon_core_ok(b->root) && (b->mode == 0 || (b->mode == 1 && b->degree >= 1));
}
static inline bool mon_bcast_ack_ok(const void *p)
{
    const struct mon_bcast_ack *a = p;
    return mon_core_ok(a->root) && a->cores >= 1 && a->cores <= MON_MAX_CORES;
}

/* The messages between monitors, each one way: an answer is a message of its
 * own, which echoes the seq of what it answers (ask.c). A message that fails
 * its row is refused with MON_ERROR. */
#define MON_MESSAGES(X)                                                                            \
    /* K -> its parent: K is up; parent -> K: the cores online (passed on down) */                 \
    X(MON_HELLO, 1, mon_hello, struct mon_hello, struct proto_none, 0, mon_hello_ok)               \
    /* J -> K along the tree, J < K: here is a channel J made for the two */                       \
    X(MON_PEER_CHAN, 2, mon_peer_chan, struct mon_peer_chan, struct proto_none, 0,                 \
      mon_peer_chan_ok)                                                                            \
    /* the reply to a message that made no sense */                                                \
    X(MON_ERROR, 3, mon_error, struct mon_error, struct proto_none, 0, mon_error_ok)               \
    /* a probe: answer with MON_PONG and the same sequence number */                               \
    X(MON_PING, 4, mon_ping, struct mon_ping, struct proto_none, 0, NULL)                          \
    X(MON_PONG, 5, mon_pong, struct mon_ping, struct proto_none, 0, NULL)                          \
    /* K -> J along the tree, J < K: K wants a channel; J makes it (MON_PEER_CHAN), once */        \
    X(MON_CHAN_ASK, 6, mon_chan_ask, struct mon_chan_ask, struct proto_none, 0, mon_chan_ask_ok)   \
    /* J -> K: a client on J wants the name; here is their channel */                              \
    X(MON_CONNECT, 7, mon_connect, struct mon_connect, struct proto_none, 0, mon_connect_ok)       \
    /* J -> K: start a module on K for a domain of J; K answers MON_SPAWNED */                     \
    X(MON_SPAWN, 8, mon_spawn, struct mon_spawn, struct proto_none, 0, mon_spawn_ok)               \
    X(MON_SPAWNED, 9, mon_spawned, struct mon_spawned, struct proto_none, 0, mon_answer_ok)        \
    /* K -> J: a domain K started for J's watcher ended */                                         \
    X(MON_DIED, 10, mon_died, struct ns_death, struct proto_none, 0, mon_died_ok)                  \
    /* J -> K: end a domain J's watcher spawned there */                                           \
    X(MON_KILL, 11, mon_kill, struct ns_kill, struct proto_none, 0, mon_kill_ok)                   \
    /* K -> the name's home, and the cores of its clients: its server on K ended */                \
    X(MON_UNNAME, 12, mon_unname, struct mon_name, struct proto_none, 0, mon_name_ok)              \
    /* J -> K: a client on J of a server on K ended */                                             \
    X(MON_DISCONNECT, 13, mon_disconnect, struct mon_disconnect, struct proto_none, 0,             \
      mon_disconnect_ok)                                                                           \
    /* K -> J: the server let go of that channel's frame */                                        \
    X(MON_RELEASED, 14, mon_released, struct mon_released, struct proto_none, 0, mon_released_ok)  \
    /* K -> 0: lend K at least this much RAM; 0 answers MON_RAM_LENT, and K makes its own RAM      \
     * capability of it */                                                                         \
    X(MON_RAM_ASK, 15, mon_ram_ask, struct mon_ram, struct proto_none, 0, mon_ram_ok)              \
    X(MON_RAM_LENT, 16, mon_ram_lent, struct mon_ram, struct proto_none, 0, mon_ram_lent_ok)       \
    /* J -> K: the RAM of K's monitor (only seq); K answers MON_MEMINFO */                         \
    X(MON_MEMINFO_ASK, 17, mon_meminfo_ask, struct mon_meminfo, struct proto_none, 0, NULL)        \
    X(MON_MEMINFO, 18, mon_meminfo, struct mon_meminfo, struct proto_none, 0, NULL)                \
    /* K -> 0: a lent chunk no domain of K uses any more */                                        \
    X(MON_RAM_RETURN, 19, mon_ram_return, struct mon_ram, struct proto_none, 0, mon_ram_ok)        \
    /* J -> K: a frame of K's export id for J; K answers MON_IMPORTED with its memory */           \
    X(MON_IMPORT, 20, mon_import, struct mon_export, struct proto_none, 0, NULL)                   \
    X(MON_IMPORTED, 21, mon_imported, struct mon_export, struct proto_none, 0, mon_exported_ok)    \
    /* K -> J: delete every frame of export id on J, mappings too; J answers MON_UNIMPORTED */     \
    X(MON_UNIMPORT, 22, mon_unimport, struct mon_export, struct proto_none, 0, NULL)               \
    X(MON_UNIMPORTED, 23, mon_unimported, struct mon_export, struct proto_none, 0,                 \
      mon_exported_ok)                                                                             \
    /* K -> 0: route an interrupt line to K, or unroute it; 0 answers MON_IRQ_DONE */              \
    X(MON_IRQ, 24, mon_irq, struct mon_irq, struct proto_none, 0, mon_irq_ok)                      \
    X(MON_IRQ_DONE, 25, mon_irq_done, struct mon_irq_done, struct proto_none, 0, mon_answer_ok)    \
    /* K -> the name's home: K's server takes this name; answered MON_FOUND (ERR_EXIST: taken) */  \
    X(MON_CLAIM, 26, mon_claim, struct mon_claim, struct proto_none, 0, mon_claim_ok)              \
    /* K -> the name's home: where is its server; answered MON_FOUND (ERR_NOENT: nowhere) */       \
    X(MON_FIND, 27, mon_find, struct mon_claim, struct proto_none, 0, mon_claim_ok)                \
    X(MON_FOUND, 28, mon_found, struct mon_found, struct proto_none, 0, mon_found_ok)              \
    /* down a broadcast's tree (or from its root to every core) */                                 \
    X(MON_BCAST, 29, mon_bcast, struct mon_bcast, struct proto_none, 0, mon_bcast_ok)              \
    /* up: a subtree has it */                                                                     \
    X(MON_BCAST_ACK, 30, mon_bcast_ack, struct mon_bcast_ack, struct proto_none, 0,                \
      mon_bcast_ack_ok)                                                                            \
    /* K -> any: its counts (NS_MONSTATS); answered MON_STATS */                                   \
    X(MON_STATS_ASK, 31, mon_stats_ask, struct mon_stats, struct proto_none, 0, NULL)              \
    X(MON_STATS, 32, mon_stats, struct mon_stats, struct proto_none, 0, NULL)

PROTO_TYPES(mon_msg_type, MON_MESSAGES)

/* One past the last type (the types run from 1 without a gap). */
#define MON_COUNT_ROW(T, v, n, Rq, Rp, f, ok) +1
enum { MON__COUNT = 1 MON_MESSAGES(MON_COUNT_ROW) };
_Static_assert(MON_STATS == MON__COUNT - 1, "the types of MON_MESSAGES run from 1 without a gap");

#endif
