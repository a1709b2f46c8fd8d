/* proto/ns.h — the name service every monitor offers its core's domains over
 * LMP (their endpoint in CAP_SLOT_MONITOR). A server registers a name with an
 * endpoint capability passed along; a client looks the name up and gets a copy
 * of that capability. Replies carry an err_t as the message type. */
#ifndef PROTO_NS_H
#define PROTO_NS_H

#include <dev_abi.h>
#include <msg.h>

#define NS_NAME_MAX 40 /* including the NUL */

enum ns_msg_type {
    NS_REGISTER = 0x100, /* name; capability: the endpoint to publish */
    NS_LOOKUP,           /* name; the reply (struct ns_found) brings a capability */
    NS_CONNECTED,        /* monitor -> server: a client on another core; struct ns_found */
    NS_SPAWN,            /* struct ns_spawn; the reply (struct ns_spawned) says where */
    NS_WATCH,            /* capability: an endpoint; ends of domains it spawns go there */
    NS_REAP,             /* the watcher collects ends (struct ns_deaths) after a notify */
    NS_KILL,             /* the watcher ends a domain it spawned: struct ns_kill */
    NS_ARCHIVE,          /* the reply brings a read-only frame of the boot archive */
    NS_POWEROFF,         /* init, to monitor 0: struct ns_poweroff */
    NS_DEVICE,           /* a driver: struct ns_device; the reply brings one capability */
    NS_DISCONNECTED,     /* monitor -> server: a client ended (struct ns_peer); drop its
                          * channel, then say NS_CLOSED */
    NS_CLOSED,           /* server -> monitor: the channels of that client are dropped */
    NS_CHANNELS,         /* -> struct ns_channels: this monitor's channel pages */
    NS_RAM,              /* struct ns_ram: bytes of RAM; the reply brings a RAM capability
                          * (struct ns_ram: its base and size), or ERR_NOMEM */
    NS_MEMINFO,          /* struct ns_meminfo_ask -> struct ns_meminfo of that core's monitor */
    NS_EXPORT,           /* a frame capability attached: other cores may import it; the reply
                          * is its struct ns_export */
    NS_IMPORT,           /* struct ns_export -> a frame capability of that memory, and its
                          * struct ns_export with the size */
    NS_REVOKE_WAIT,      /* after ERR_REMOTE from a revoke: answered once this monitor has
                          * taken its exports back from every other core */
    NS_IRQ,              /* a driver: struct ns_irq, with its IRQ capability attached */
};

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

#define NS_MODULE_MAX 32 /* a boot-archive module name, including the NUL */

/* Start module on core (any core online, this one included). A frame may come
 * with it: a struct spawn_blob (proc_abi.h) with argv and the environment. */
#define NS_SPAWN_WATCH (1u << 0) /* the watcher hears when it ends (NS_WATCH) */
struct ns_spawn {
    uint32_t core;
    uint32_t flags;
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
#define NS_CHAN_BYTES 4096

enum ns_kind { NS_LOCAL = 1, NS_REMOTE = 2 };

struct ns_found {
    uint32_t kind;
    uint32_t side;
    uint32_t peer_core;
    uint32_t peer_domain; /* NS_CONNECTED: the client's domain on peer_core */
};
MSG_PAYLOAD_FITS(struct ns_found);

/* How domains a watcher spawned ended, as many as fit (count). */
#define NS_DEATHS_MAX 3
struct ns_death {
    uint32_t core, domain;
    int32_t status;  /* its exit status ... */
    uint32_t signal; /* ... or the signal that ended it (then not 0) */
};
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
    struct console_device dev; /* the device it belongs to */
};
MSG_PAYLOAD_FITS(struct ns_device_cap);

struct ns_poweroff {
    int32_t status;
};
MSG_PAYLOAD_FITS(struct ns_poweroff);

#endif
