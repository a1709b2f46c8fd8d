/* proto/monitor.h — the inter-monitor protocol. Monitors talk only over UMP
 * channels: at boot, each monitor K > 0 has a channel to monitor 0 (frames the
 * boot core's CPU driver set aside); monitor 0 then gives every pair of
 * monitors a channel of their own (a full mesh). Every message is checked by its
 * receiver; a bad one gets an error reply and a log line, never a crash. */
#ifndef PROTO_MONITOR_H
#define PROTO_MONITOR_H

#include <msg.h>
#include <proto/ns.h>
#include <stdint.h>

/* The boot channels between monitor 0 and the others: one region per core,
 * core K's at offset (K - 1) * MON_BOOT_CHAN_BYTES; monitor 0 is side 0. */
#define MON_BOOT_CHAN_SLOTS 64
#define MON_BOOT_CHAN_BYTES 12288 /* UMP_CHAN_BYTES(64), rounded up to pages */

/* Mesh channels: one page each; the lower-numbered core is side 0. */
#define MON_MESH_CHAN_SLOTS 16
#define MON_MESH_CHAN_BYTES 4096

enum mon_msg_type {
    MON_HELLO = 1, /* K -> any peer: the channel works from K's side */
    MON_PEER_CHAN, /* 0 -> K: here is the channel to another monitor */
    MON_ERROR,     /* the reply to a message that made no sense */
    MON_PING,      /* a probe: answer with MON_PONG and the same sequence number */
    MON_PONG,
    MON_NAME,        /* K -> all: a domain on K registered this name */
    MON_CONNECT,     /* J -> K: a client on J wants the name; here is their channel */
    MON_SPAWN,       /* J -> K: start a module on K for a domain of J */
    MON_SPAWNED,     /* K -> J: the answer */
    MON_DIED,        /* K -> J: a domain K started for J's watcher ended (struct ns_death) */
    MON_KILL,        /* J -> K: end a domain J's watcher spawned there (struct ns_kill) */
    MON_UNNAME,      /* K -> all: the domain that registered this name ended (struct mon_name) */
    MON_DISCONNECT,  /* J -> K: a client on J of a server on K ended (struct mon_disconnect) */
    MON_RELEASED,    /* K -> J: the server let go of that channel's frame (struct mon_released) */
    MON_RAM_ASK,     /* K -> 0: lend K at least this much RAM (struct mon_ram) */
    MON_RAM_LENT,    /* 0 -> K: the answer (struct mon_ram): K makes its own RAM capability */
    MON_MEMINFO_ASK, /* J -> K: struct mon_meminfo with only seq */
    MON_MEMINFO,     /* K -> J: the answer */
    MON_RAM_RETURN,  /* K -> 0: a lent chunk no domain of K uses any more (struct mon_ram) */
    MON_IMPORT,      /* J -> K: a frame of K's export id for J (struct mon_export) */
    MON_IMPORTED,    /* K -> J: the answer: its memory (struct mon_export) */
    MON_UNIMPORT,    /* K -> J: delete every frame of export id on J, mappings too */
    MON_UNIMPORTED,  /* J -> K: done (struct mon_export) */
    MON_IRQ,         /* K -> 0: route an interrupt line to K, or unroute it (struct mon_irq) */
    MON_IRQ_DONE,    /* 0 -> K: the answer (struct mon_irq_done) */
    MON__COUNT
};

#define MON_ONLINE_BYTES 32 /* a bitmap of up to 256 cores */

struct mon_hello {
    uint32_t core;                    /* the sender */
    uint32_t online_count;            /* from monitor 0: how many cores are online ... */
    uint8_t online[MON_ONLINE_BYTES]; /* ... and which */
};
MSG_PAYLOAD_FITS(struct mon_hello);

struct mon_peer_chan {
    uint32_t peer;  /* the core at the other end */
    uint32_t side;  /* 0 or 1 */
    uint64_t phys;  /* the channel's frame */
    uint64_t bytes; /* MON_MESH_CHAN_BYTES */
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
    uint32_t flags;     /* NS_SPAWN_WATCH: report its end to the sender */
    uint64_t args_phys; /* a frame with a struct spawn_blob, or 0 */
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

#endif
