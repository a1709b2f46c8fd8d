/* proto/ns.h — the name service every monitor offers its core's domains over
 * LMP (their endpoint in CAP_SLOT_MONITOR). A server registers a name with an
 * endpoint capability passed along; a client looks the name up and gets a copy
 * of that capability. Replies carry an err_t as the message type. */
#ifndef PROTO_NS_H
#define PROTO_NS_H

#include <dev_abi.h>
#include <msg.h>
#include <proto.h>

#define NS_NAME_MAX 40 /* including the NUL */

/* Route the line of the attached IRQ capability to the caller's core (after
 * binding it there with irq_bind's SYS_IRQ_BIND), or stop routing it. */
struct ns_irq {
    uint32_t route; /* 1: to the caller's core; 0: nowhere */
};
MSG_PAYLOAD_FITS(struct ns_irq);

/* The pages of the UMP channels a monitor made for its core's clients. */
struct ns_channels {
    uint32_t open;    /* in use by a live client */
    uint32_t closing; /* its client ended; the server has not let go yet */
    uint32_t free;    /* zeroed, for the next channel */
    uint32_t reused;  /* new channels that got a page used before */
};

/* RAM for a domain: how much it asks (pages); in the reply, what it got. */
struct ns_ram {
    uint64_t bytes;
    uint64_t base;
};
MSG_PAYLOAD_FITS(struct ns_ram);

struct ns_meminfo_ask {
    uint32_t core;
};
MSG_PAYLOAD_FITS(struct ns_meminfo_ask);

/* The RAM a core's monitor shares out: total (less what it lent to other
 * cores' monitors) and what no domain holds. */
struct ns_meminfo {
    uint64_t total;
    uint64_t free;
    uint64_t lent; /* monitor 0: given to other cores' monitors */
};
MSG_PAYLOAD_FITS(struct ns_meminfo);

/* A message from the asker's monitor that must reach every core's monitor
 * and come back acknowledged, the analogue of a TLB shoot-down: sent to each
 * core by the root itself (NS_BCAST_UNICAST), or down a tree of the cores
 * online, degree children a monitor (NS_BCAST_TREE), each acknowledging once
 * its subtree has. The counts are exact: messages between monitors, message
 * hops on the longest path, and the messages the root itself sent. */
#define NS_BCAST_UNICAST 0
#define NS_BCAST_TREE    1
struct ns_broadcast {
    uint32_t mode;
    uint32_t degree; /* NS_BCAST_TREE: children a monitor, at least 1 */
};
MSG_PAYLOAD_FITS(struct ns_broadcast);
struct ns_broadcast_done {
    uint32_t cores; /* reached, the root included */
    uint32_t messages;
    uint32_t rounds;
    uint32_t root_sends;
};
MSG_PAYLOAD_FITS(struct ns_broadcast_done);

/* What a core's monitor has done (NS_MONSTATS), for tools/bench scaling. */
struct ns_monstats_ask {
    uint32_t core;
};
MSG_PAYLOAD_FITS(struct ns_monstats_ask);
struct ns_monstats {
    uint64_t up_ns;      /* when it knew every peer, in ns since the core's reset */
    uint64_t sent;       /* messages to other monitors */
    uint64_t received;   /* messages from other monitors */
    uint32_t memory_kib; /* its own RAM in use and its boot channels */
    uint32_t peer_chans; /* channels it has to other monitors */
    /* Its domains' lookups of names served on other cores: those that asked
     * the name's home (hits and misses), and those its cache answered. */
    uint32_t lookups_home, lookups_cached;
};
MSG_PAYLOAD_FITS(struct ns_monstats);

/* An exported frame: the core whose monitor exported it, its number there,
 * and (in NS_IMPORT's reply) its size. */
struct ns_export {
    uint32_t core;
    uint32_t id;
    uint64_t bytes;
};
MSG_PAYLOAD_FITS(struct ns_export);

/* A client of a server: its core and domain (the channel's peer). */
struct ns_peer {
    uint32_t core, domain;
};
MSG_PAYLOAD_FITS(struct ns_peer);

#define NS_MODULE_MAX 32 /* a boot-archive module name, including the NUL */

/* Start module on core (any core online, this one included). A frame may come
 * with it: a struct spawn_blob (proc_abi.h) with argv and the environment.
 * With NS_SPAWN_IMAGE the program is not the boot archive's module but the
 * ELF image of image bytes that follows the blob in the frame, at
 * SPAWN_BLOB_MAX; module is then only its name. */
#define NS_SPAWN_WATCH (1u << 0) /* the watcher hears when it ends (NS_WATCH) */
#define NS_SPAWN_IMAGE (1u << 1)
struct ns_spawn {
    uint32_t core;
    uint32_t flags;
    uint32_t image; /* with NS_SPAWN_IMAGE: the ELF image's bytes */
    char module[NS_MODULE_MAX];
};
MSG_PAYLOAD_FITS(struct ns_spawn);

struct ns_spawned {
    uint32_t core;
    uint32_t domain; /* its domain id on that core */
};
MSG_PAYLOAD_FITS(struct ns_spawned);

/* A lookup with NS_LOOKUP_CHANNEL gets a UMP channel even to a server on its
 * own core: the server then knows every client by its channel. A server that
 * registers with NS_REGISTER_ENDS hears when a client ends (NS_DISCONNECTED),
 * so that the channel's page can be used again once both sides let go. */
/* The channels a domain may hold open at once through lookups, like a
 * process's limit on open files: past it a lookup that would make one more is
 * ERR_LIMIT. Channels to servers that have ended do not count. It keeps one
 * faulty domain that looks up in a loop from taking its monitor's memory. */
#define NS_CHANNELS_PER_DOMAIN 1024

#define NS_LOOKUP_CHANNEL (1u << 0)
#define NS_REGISTER_ENDS  (1u << 1)
struct ns_name {
    char name[NS_NAME_MAX];
    uint32_t flags;
};
MSG_PAYLOAD_FITS(struct ns_name);

/* What a lookup found: an endpoint on this core (NS_LOCAL), or a channel frame
 * to a domain on another core (NS_REMOTE): a UMP channel of NS_CHAN_SLOTS
 * slots in NS_CHAN_BYTES, this side's number, and the core at the other end.
 * The same comes to a server with NS_CONNECTED, for its side. */
#define NS_CHAN_SLOTS 16
/* The most requests a client may have in flight on one channel and be sure
 * that every answer fits: a receiver acknowledges what it took in batches of
 * a quarter ring (lib/ump), so a sender may see up to that many fewer free
 * slots than there are. A server cuts off a client whose answers do not fit. */
#define NS_CHAN_IN_FLIGHT (NS_CHAN_SLOTS - NS_CHAN_SLOTS / 4)
#define NS_CHAN_BYTES     4096

enum ns_kind { NS_LOCAL = 1, NS_REMOTE = 2 };

struct ns_found {
    uint32_t kind;
    uint32_t side;
    uint32_t peer_core;
    uint32_t peer_domain; /* NS_CONNECTED: the client's domain on peer_core */
};
MSG_PAYLOAD_FITS(struct ns_found);

/* How domains a watcher spawned ended, as many as fit (count). cause and
 * addr as in struct death_record (proc_abi.h). */
#define NS_DEATHS_MAX 2
struct ns_death {
    uint32_t core, domain;
    int32_t status;  /* its exit status ... */
    uint16_t signal; /* ... or the signal that ended it (then not 0) */
    uint16_t cause;  /* enum death_cause */
    uint64_t addr;   /* a page fault's address, another fault's pc, else 0 */
};
_Static_assert(sizeof(struct ns_death) == 24, "ns_death is packed by hand");
struct ns_deaths {
    uint32_t count;
    struct ns_death d[NS_DEATHS_MAX];
};
MSG_PAYLOAD_FITS(struct ns_deaths);

struct ns_kill {
    uint32_t core, domain, signal;
};
MSG_PAYLOAD_FITS(struct ns_kill);

/* A driver asks for the capabilities of its device, one per request, index 0
 * upwards until ERR_NOENT. Only the domain the monitor started as that
 * device's driver gets them (see monitor/devices.c). */
#define NS_DEVICE_NAME_MAX 16
struct ns_device {
    char name[NS_DEVICE_NAME_MAX]; /* "console" */
    uint32_t index;
};
MSG_PAYLOAD_FITS(struct ns_device);

struct ns_device_cap {
    uint32_t cap_type; /* what came: CAP_IRQ, CAP_IOPORT, CAP_DEVFRAME, CAP_KLOG */
    uint32_t pad;
    union {
        struct console_device dev; /* "console": the device it belongs to */
        struct bus_region bus;     /* "bus": the region it belongs to */
    };
};
MSG_PAYLOAD_FITS(struct ns_device_cap);

/* The boot archive's frame comes with the answer; its bytes in use. */
struct ns_archive {
    uint64_t bytes;
};

struct ns_poweroff {
    int32_t status;
};
MSG_PAYLOAD_FITS(struct ns_poweroff);

static inline bool ns_name_ok(const void *p)
{
    return proto_str_ok(((const struct ns_name *)p)->name, NS_NAME_MAX);
}
static inline bool ns_spawn_ok(const void *p)
{
    const struct ns_spawn *s = p;
    bool image = s->flags & NS_SPAWN_IMAGE;
    return proto_str_ok(s->module, NS_MODULE_MAX) && (image ? s->image != 0 : s->image == 0);
}
static inline bool ns_device_ok(const void *p)
{
    return proto_str_ok(((const struct ns_device *)p)->name, NS_DEVICE_NAME_MAX);
}

static inline bool ns_broadcast_ok(const void *p)
{
    const struct ns_broadcast *b = p;
    return b->mode == NS_BCAST_UNICAST || (b->mode == NS_BCAST_TREE && b->degree >= 1);
}

/* The requests a domain makes of its monitor (over LMP, through the endpoint
 * in CAP_SLOT_MONITOR). Replies carry an err_t as their type. */
#define NS_MESSAGES(X)                                                                             \
    /* name; capability: the endpoint to publish */                                                \
    X(NS_REGISTER, 0x100, ns_register, struct ns_name, struct proto_none, 0, ns_name_ok)           \
    /* name; the reply brings a capability */                                                      \
    X(NS_LOOKUP, 0x101, ns_lookup, struct ns_name, struct ns_found, PROTO_IDEMPOTENT, ns_name_ok)  \
    /* start a module; a frame of arguments may come with it */                                    \
    X(NS_SPAWN, 0x103, ns_spawn, struct ns_spawn, struct ns_spawned, 0, ns_spawn_ok)               \
    /* capability: an endpoint; ends of domains it spawns go there */                              \
    X(NS_WATCH, 0x104, ns_watch, struct proto_none, struct proto_none, 0, NULL)                    \
    /* the watcher collects ends after a notify */                                                 \
    X(NS_REAP, 0x105, ns_reap, struct proto_none, struct ns_deaths, 0, NULL)                       \
    /* the watcher ends a domain it spawned */                                                     \
    X(NS_KILL, 0x106, ns_kill, struct ns_kill, struct proto_none, 0, NULL)                         \
    /* the reply brings a read-only frame of the boot archive */                                   \
    X(NS_ARCHIVE, 0x107, ns_archive, struct proto_none, struct ns_archive, PROTO_IDEMPOTENT, NULL) \
    /* init, to monitor 0 */                                                                       \
    X(NS_POWEROFF, 0x108, ns_poweroff, struct ns_poweroff, struct proto_none, 0, NULL)             \
    /* a driver: the reply brings one capability of its device */                                  \
    X(NS_DEVICE, 0x109, ns_device, struct ns_device, struct ns_device_cap, PROTO_IDEMPOTENT,       \
      ns_device_ok)                                                                                \
    /* server -> monitor: the channels of that client are dropped */                               \
    X(NS_CLOSED, 0x10b, ns_closed, struct ns_peer, struct proto_none, PROTO_IDEMPOTENT, NULL)      \
    /* this monitor's channel pages */                                                             \
    X(NS_CHANNELS, 0x10c, ns_channels, struct proto_none, struct ns_channels, PROTO_IDEMPOTENT,    \
      NULL)                                                                                        \
    /* bytes of RAM; the reply brings a RAM capability, or ERR_NOMEM */                            \
    X(NS_RAM, 0x10d, ns_ram, struct ns_ram, struct ns_ram, 0, NULL)                                \
    /* the RAM of a core's monitor */                                                              \
    X(NS_MEMINFO, 0x10e, ns_meminfo, struct ns_meminfo_ask, struct ns_meminfo, PROTO_IDEMPOTENT,   \
      NULL)                                                                                        \
    /* a frame capability attached: other cores may import it */                                   \
    X(NS_EXPORT, 0x10f, ns_export, struct proto_none, struct ns_export, 0, NULL)                   \
    /* a frame capability of that memory comes back, with its size */                              \
    X(NS_IMPORT, 0x110, ns_import, struct ns_export, struct ns_export, 0, NULL)                    \
    /* after ERR_REMOTE from a revoke: answered once every other core gave its copies back */      \
    X(NS_REVOKE_WAIT, 0x111, ns_revoke_wait, struct proto_none, struct proto_none,                 \
      PROTO_IDEMPOTENT, NULL)                                                                      \
    /* a driver's IRQ capability attached: route its line to the caller's core, or nowhere */      \
    X(NS_IRQ, 0x112, ns_irq, struct ns_irq, struct proto_none, 0, NULL)                            \
    /* answered once every core acknowledged it (see struct ns_broadcast) */                       \
    X(NS_BROADCAST, 0x113, ns_broadcast, struct ns_broadcast, struct ns_broadcast_done, 0,         \
      ns_broadcast_ok)                                                                             \
    /* the counts of a core's monitor */                                                           \
    X(NS_MONSTATS, 0x114, ns_monstats, struct ns_monstats_ask, struct ns_monstats,                 \
      PROTO_IDEMPOTENT, NULL)                                                                      \
    /* a server takes a client's channel its monitor holds for it (NOTIFY_CHANNEL_WAITING): */     \
    /* the NS_CONNECTED it would have had, frame attached; ERR_NOENT when none is left */          \
    X(NS_PENDING, 0x115, ns_pending, struct proto_none, struct ns_found, 0, NULL)

/* What a monitor tells a server that registered with NS_REGISTER_ENDS; the
 * server answers nothing (the skeleton, server.h, handles both). */
#define NS_NOTICES(X)                                                                              \
    /* a client's channel: struct ns_found, the frame capability attached */                       \
    X(NS_CONNECTED, 0x102, ns_connected, struct ns_found, struct proto_none, 0, NULL)              \
    /* a client ended: drop its channels, then say NS_CLOSED */                                    \
    X(NS_DISCONNECTED, 0x10a, ns_disconnected, struct ns_peer, struct proto_none, 0, NULL)

PROTO_TYPES(ns_msg_type, NS_MESSAGES)
PROTO_TYPES(ns_notice_type, NS_NOTICES)

#endif
