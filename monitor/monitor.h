/* monitor.h — the state of this core's monitor, shared by its files. A monitor
 * talks to the others only over UMP channels: peers[K] is the channel to the
 * monitor of core K (a boot channel where K is this monitor's parent or child
 * in the boot tree; otherwise a channel the lower-numbered of the two made when
 * one of them first sent to the other, mesh.c). */
#ifndef MONITOR_H
#define MONITOR_H

#include <cap_types.h>
#include <proto/monitor.h>
#include <proto/ns.h>
#include <stdbool.h>
#include <stdint.h>
#include <table.h>
#include <ump.h>

struct peer {
    bool have_chan; /* a channel exists (this side is set up) */
    bool asked;     /* one was made, or asked for */
    bool connected; /* the peer's HELLO came through it (tree neighbours) */
    struct ump_chan chan;
    /* Messages waiting for room in the ring, or for the channel: a monitor
     * never waits for another (two monitors sending to each other at once
     * would otherwise wait for each other forever), so the queue grows. */
    struct table q; /* of msg_t; made on first use */
    unsigned q_head, q_count;
    bool q_for_chan;   /* queued for want of a channel: released once sent */
    uint64_t pings_in; /* MON_PING sequence numbers seen, to check order */
};

struct monitor {
    unsigned core;
    unsigned ncores;
    bool online[MON_MAX_CORES];
    unsigned online_count; /* known to monitor 0 once it started the cores, to the
                            * others once their parent in the tree told them */
    bool online_known;
    struct peer *peers;      /* ncores of them, in the monitor's own RAM (peers_create) */
    bool up;                 /* all peers connected, reported */
    uint64_t up_ns;          /* when it came up */
    uint64_t sent, received; /* messages to and from other monitors (stats.c) */
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
/* A request of a domain of this core being served: a handler of NS_MESSAGES,
 * err_t serve_<name>(const msg_t *m, struct mon_call *c), checks what the
 * protocol's row could not, fills c->r's payload and may set c->give; the
 * dispatcher (monitor.c) answers with its err_t and drops a capability that
 * came with the request (got_cap, in names_take_slot()). */
struct mon_call {
    uint32_t badge; /* the asking domain */
    bool got_cap;
    msg_t r;        /* the reply */
    capaddr_t give; /* a capability for the asker (0: none), maybe | LMP_GIVE_MOVE */
    bool keep;      /* the monitor keeps give (else it lets go once it is sent) */
};
#define MON_LOCAL_DECL(T, v, n, Rq, Rp, f, ok) err_t serve_##n(const msg_t *m, struct mon_call *c);
NS_MESSAGES(MON_LOCAL_DECL)
/* A handler of a message from another monitor (MON_MESSAGES), after its row's
 * checks: an error it returns is refused back to src (mon_refuse). */
#define MON_PEER_DECL(T, v, n, Rq, Rp, f, ok) err_t serve_##n(unsigned src, const msg_t *m);
MON_MESSAGES(MON_PEER_DECL)

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
/* The same, and its physical address in *base. */
MUST_CHECK err_t mon_frame_at(uint64_t bytes, capaddr_t slot, uint64_t *base);

/* Frames shared across cores and their revoke (exports.c). */
/* Takes back from other cores every export a revoke here waits for. */
/* A domain ended: its exports are taken back from every core. */
void exports_domain_ended(uint32_t domain);
err_t exports_revoke_pending(void);
/* RAM on demand (ram.c): NS_RAM and NS_MEMINFO from domains, and the
 * monitors' lending and questions. */
/* Gives monitor 0 back every borrowed chunk no domain here uses any more. */
void ram_return_unused(void);
/* A line about a refused request, said within a budget of lines a second;
 * the rest are counted and their number said later (refusals.c). */
void mon_refusal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Says the number of refusals left unsaid, when the budget allows. */
void refusals_poll(void);
/* When the count of refusals left unsaid may be said; 0 if there is none. */
uint64_t refusals_due(void);
/* Zeroed physical memory the monitor hands out by address (memory.c). */
MUST_CHECK err_t mon_phys_take(uint64_t bytes, uint64_t *phys);
/* Maps a frame capability of bytes at addresses of its own (va_alloc);
 * returns the address or 0. */
uintptr_t mon_map(capaddr_t frame, uint64_t bytes);

/* mesh.c: the boot tree, starting cores, and channels on first use. */
void mesh_start(void);
/* A message waits for a channel to core: make it, or ask core to, once. */
void mesh_want(unsigned core);
/* Whether core is this monitor's parent or child in the boot tree. */
bool mesh_neighbour(unsigned core);
/* Serves the other monitors until this one knows which cores are online. */
void mesh_wait_online(void);
/* All peers are connected: say so once. */
void mesh_check_up(void);

/* names.c: the name service for domains of this core, over LMP. */
capaddr_t names_take_slot(void);
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
/* Lookups of names served on other cores: those that asked the name's home,
 * and those the cache answered. */
void names_counts(uint32_t *home, uint32_t *cached);
/* Whether domain registered name on this core. */
bool names_owned_here(const char *name, uint32_t domain);
/* A slot new frames pass through. */
capaddr_t names_scratch_slot(void);

/* channels.c: the pages of UMP channels the name service makes, used again
 * once both ends have let go. */
err_t channels_new_frame(uint64_t *phys);
void channels_opened(uint64_t phys, uint32_t client, unsigned server_core, const char *name);
/* ERR_LIMIT if client already holds NS_CHANNELS_PER_DOMAIN channels whose
 * server lives; OK if it may open another. */
err_t channels_may_open(uint32_t client);
/* A client of this core ended: its side of each of its channels is hung up
 * (the server's sends fail with ERR_DEAD), and the server's monitor told. */
void channels_client_ended(uint32_t domain);
/* The server of name on server_core ended: its side of every channel this
 * core's clients have to it is hung up, and they are woken to see it. */
void channels_server_ended(unsigned server_core, const char *name);
/* The server behind endpoint slot server ended: what it was told of is done. */
void channels_server_gone(capaddr_t server);
void channels_poll(void);
bool channels_pending(void);

/* spawn.c: the spawn service. Starts module on this core with the arguments in the frame at
 * args_phys (0: none); with image != 0 the program is the ELF image of that many bytes that
 * follows the arguments in the frame, not the boot archive's module. A watched domain's end
 * goes to watcher_core's watcher. */
err_t spawn_here(const char *module, uint64_t args_phys, uint32_t image, bool watch,
                 unsigned watcher_core, uint32_t *domain);

/* procs.c: the ends of domains, kill, power-off, the boot archive, and init. */
void procs_reap(void);
void procs_watch(uint32_t domain, unsigned watcher_core);
bool procs_is_watcher(uint32_t badge);
void procs_poll(void);

/* devices.c: device capabilities for the drivers this monitor starts. */
void devices_spawned(const char *module, uint32_t domain);
void devices_ended(uint32_t domain);
/* Whether domain (of this core) may learn physical addresses: devices=dma. */
bool devices_may_dma(uint32_t domain);
struct ns_device_cap;
/* bus.c: a capability of the bus driver's (index: region << 16 | piece). */
err_t bus_cap(uint32_t index, capaddr_t slot, struct ns_device_cap *out);

/* irqs.c: interrupt lines routed to this core's drivers (through monitor 0). */
void irqs_ended(uint32_t domain);

/* One pass over the channels to other monitors; how many messages it handled. */
unsigned mon_poll_peers(void);
/* Asks the monitor of core (m's payload starts with a uint32_t seq, which this
 * sets) and waits for its answer of answer_type, serving the other monitors
 * meanwhile (ask.c). ERR_DEAD if none came in time; the error that monitor
 * refused the question with (MON_ERROR: mon_ask_refused) if it did. Asks nest
 * (a handler served meanwhile may ask too), a few deep: ERR_BUSY past that. */
MUST_CHECK err_t mon_ask(unsigned core, msg_t *m, uint16_t answer_type, msg_t *answer);
void mon_ask_refused(unsigned src, uint16_t type, err_t err);

/* probes.c: optional self-tests the kernel command line asks for. */
void probes_after_up(void);
/* A MON_ERROR that a probe caused; false if none did. */
bool probes_refused(unsigned src, const struct mon_error *e);

#endif
