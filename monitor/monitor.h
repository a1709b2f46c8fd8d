/* monitor.h — the state of this core's monitor, shared by its files. A monitor
 * talks to the others only over UMP channels: peers[K] is the channel to the
 * monitor of core K (the boot channel for K = 0 or, on monitor 0, for every K;
 * a mesh channel otherwise). */
#ifndef MONITOR_H
#define MONITOR_H

#include <cap_types.h>
#include <stdbool.h>
#include <stdint.h>
#include <table.h>
#include <ump.h>

#define MON_MAX_CORES 256

#define SENDQ_SLOTS 64

/* Messages waiting for room in a channel: a monitor never stops serving its
 * other channels just because one peer's ring is full (two monitors sending to
 * each other at once would otherwise wait for each other forever). */
struct sendq {
    unsigned head, count;
    msg_t slots[SENDQ_SLOTS];
};

struct peer {
    bool have_chan; /* a channel exists (this side is set up) */
    struct sendq q;
    bool connected; /* the peer's HELLO came through it */
    struct ump_chan chan;
    uint64_t pings_in; /* MON_PING sequence numbers seen, to check order */
};

struct monitor {
    unsigned core;
    unsigned ncores;
    bool online[MON_MAX_CORES];
    unsigned online_count; /* known to monitor 0 once it started the cores */
    bool online_known;
    struct peer *peers; /* ncores of them, in the monitor's own RAM (peers_create) */
    bool up;            /* all peers connected, reported */
    char cmdline[1024];
};

extern struct monitor mon;

/* Refuses a message that made no sense: a log line, and MON_ERROR back. */
void mon_refuse(unsigned src, const msg_t *bad, err_t err);
/* Sends m to core's monitor (queued if its ring is full) and wakes it if it
 * sleeps. Order between two monitors is kept. */
void mon_send(unsigned core, const msg_t *m);
/* Moves queued messages into rings that have room again. */
void mon_flush(void);
/* Whether the blank-separated words of line include word. */
bool mon_has_word(const char *line, const char *word);
/* Answers the local request just received with err as r's type and, on
 * success, the capability in slot give (0: none), which the monitor then lets
 * go; a capability that came with the request (got_cap) is dropped. */
void mon_answer(msg_t *r, err_t err, capaddr_t give, bool got_cap);
/* The monitor's tables grow into frames of its own RAM (table.h): declare
 * one with MON_TABLE(type). mon_table_fit is table_fit that says on the
 * console when it cannot grow. */
#define MON_TABLE(type)                                                                            \
    {                                                                                              \
        .elem = sizeof(type), .make_frame = mon_frame                                              \
    }
MUST_CHECK bool mon_table_fit(struct table *t, uint32_t n);
/* The RAM a monitor uses for itself (memory.c): monitor 0 sets a part of
 * its RAM apart; another monitor's own RAM is what it was born with. */
capaddr_t mon_own_ram(void);
/* A zeroed frame of bytes into slot: the monitor's own RAM, else RAM it
 * shares out (ram.c). */
MUST_CHECK err_t mon_frame(uint64_t bytes, capaddr_t slot);

/* Frames shared across cores and their revoke (exports.c). */
bool exports_handle(const msg_t *m, uint32_t badge, bool got_cap);
bool exports_handle_monitor(unsigned src, const msg_t *m);
/* Takes back from other cores every export a revoke here waits for. */
err_t exports_revoke_pending(void);
/* RAM on demand (ram.c): NS_RAM and NS_MEMINFO from domains, and the
 * monitors' lending and questions. */
bool ram_handle(const msg_t *m, uint32_t badge, bool got_cap);
bool ram_handle_monitor(unsigned src, const msg_t *m);
/* Gives monitor 0 back every borrowed chunk no domain here uses any more. */
void ram_return_unused(void);
/* Zeroed physical memory the monitor hands out by address (memory.c). */
MUST_CHECK err_t mon_phys_take(uint64_t bytes, uint64_t *phys);
/* Maps a frame capability of bytes at addresses of its own (va_alloc);
 * returns the address or 0. */
uintptr_t mon_map(capaddr_t frame, uint64_t bytes);

/* mesh.c: the boot channels, starting cores, and the mesh of channels. */
void mesh_start(void);
/* Handles one message from core src; returns false if the type is unknown. */
bool mesh_handle(unsigned src, const msg_t *m);
/* All peers are connected: say so once. */
void mesh_check_up(void);

/* names.c: the name service for domains of this core, over LMP. */
capaddr_t names_take_slot(void);
void names_handle(const msg_t *m, uint32_t badge, bool got_cap);
/* Messages from other monitors about names; false if it is not one. */
bool names_handle_monitor(unsigned src, const msg_t *m);
/* Retries handing servers the channels they have not taken yet. */
void names_poll(void);
bool names_pending(void);
/* A domain of this core ended: its names go. */
void names_domain_ended(uint32_t domain);
/* A channel offer not yet taken by its server is withdrawn; false if none. */
bool names_cancel_offer(uint64_t phys);
/* The endpoint of name's server if it is on this core, and whether it hears
 * of its clients' ends. */
bool names_server(const char *name, capaddr_t *ep, bool *hears_ends);
/* A slot new frames pass through. */
capaddr_t names_scratch_slot(void);

/* channels.c: the pages of UMP channels the name service makes, used again
 * once both ends have let go. */
err_t channels_new_frame(uint64_t *phys);
void channels_opened(uint64_t phys, uint32_t client, unsigned server_core, const char *name);
void channels_client_ended(uint32_t domain);
/* The server behind endpoint slot server ended: what it was told of is done. */
void channels_server_gone(capaddr_t server);
bool channels_handle(const msg_t *m, uint32_t badge, bool got_cap);
bool channels_handle_monitor(unsigned src, const msg_t *m);
void channels_poll(void);
bool channels_pending(void);
/* A peer has just connected: tell it this core's names. */
void names_announce_all(unsigned peer);

/* spawn.c: the spawn service. */
void spawn_handle(const msg_t *m, uint32_t badge, bool got_cap);
bool spawn_handle_monitor(unsigned src, const msg_t *m);
/* Starts module on this core with the arguments in the frame at args_phys (0:
 * none); a watched domain's end goes to watcher_core's watcher. */
err_t spawn_here(const char *module, uint64_t args_phys, bool watch, unsigned watcher_core,
                 uint32_t *domain);

/* procs.c: the ends of domains, kill, power-off, the boot archive, and init. */
void procs_reap(void);
void procs_watch(uint32_t domain, unsigned watcher_core);
bool procs_is_watcher(uint32_t badge);
bool procs_handle(const msg_t *m, uint32_t badge, bool got_cap);
bool procs_handle_monitor(unsigned src, const msg_t *m);
void procs_poll(void);

/* devices.c: device capabilities for the drivers this monitor starts. */
void devices_spawned(const char *module, uint32_t domain);
void devices_ended(uint32_t domain);
bool devices_handle(const msg_t *m, uint32_t badge, bool got_cap);

/* irqs.c: interrupt lines routed to this core's drivers (through monitor 0). */
bool irqs_handle(const msg_t *m, uint32_t badge, bool got_cap);
bool irqs_handle_monitor(unsigned src, const msg_t *m);
void irqs_ended(uint32_t domain);

/* One pass over the channels to other monitors; how many messages it handled. */
unsigned mon_poll_peers(void);
/* Asks the monitor of core (m's payload starts with a uint32_t seq, which this
 * sets) and waits for its answer of answer_type, serving the other monitors
 * meanwhile (ask.c). ERR_DEAD if none came in time. */
MUST_CHECK err_t mon_ask(unsigned core, msg_t *m, uint16_t answer_type, msg_t *answer);
/* Takes an answer to mon_ask; false if m is no answer. */
bool mon_ask_answered(unsigned src, const msg_t *m);

/* probes.c: optional self-tests the kernel command line asks for. */
void probes_after_up(void);
bool probes_handle(unsigned src, const msg_t *m);

#endif
