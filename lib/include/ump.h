/* ump.h — one direction of a cross-core channel: a ring of 64-byte message
 * slots in memory shared by exactly one sender and one receiver.
 *
 * The sender fills a slot, then publishes it with a release store of the slot's
 * ctrl byte (the low 8 bits of its sequence number plus one); the receiver
 * polls that word with an acquire load. Flow control travels back through an
 * acknowledgement line that only the receiver writes, updated in batches, so no
 * cache line is ever written by both ends. A full ring makes ump_send return
 * ERR_WOULDBLOCK; nothing is overwritten or lost. */
#ifndef UMP_H
#define UMP_H

#include <err.h>
#include <msg.h>
#include <stdbool.h>
#include <stdint.h>

/* The shared memory of one direction: slots, then the receiver's ack line,
 * then its hang-up line. */
struct ump_ack {
    uint64_t consumed; /* messages the receiver has taken, written by it alone */
    uint32_t waiting;  /* the receiver is about to block and wants a wake-up */
    uint8_t pad[MSG_SIZE - sizeof(uint64_t) - sizeof(uint32_t)];
} __attribute__((aligned(MSG_SIZE)));

/* Written once, when the receiver hangs up (or its monitor does for it, when
 * it dies). A line of its own: the sender reads it on every send, and a line
 * nobody writes stays shared in both caches, so that read is a hit, never a
 * transfer of the line the receiver writes its counts to. */
struct ump_hangup {
    uint32_t closed; /* the receiver takes nothing more */
    uint8_t pad[MSG_SIZE - sizeof(uint32_t)];
} __attribute__((aligned(MSG_SIZE)));

/* Bytes a ring of n slots needs (n a power of two, 2..UMP_MAX_SLOTS). */
#define UMP_MAX_SLOTS 128
#define UMP_RING_BYTES(n)                                                                          \
    ((size_t)(n)*MSG_SIZE + sizeof(struct ump_ack) + sizeof(struct ump_hangup))

struct ump_tx {
    msg_t *slots;
    const struct ump_ack *ack;
    const struct ump_hangup *hangup;
    uint32_t n;
    uint64_t seq;   /* next sequence number to send */
    uint64_t acked; /* the receiver's count, as last read */
};

struct ump_rx {
    const msg_t *slots;
    struct ump_ack *ack;
    struct ump_hangup *hangup;
    uint32_t n;
    uint64_t seq;       /* next sequence number to receive */
    uint64_t published; /* the count last written to the ack line */
};

/* Sets up an end over shared memory of UMP_RING_BYTES(n). The memory must be
 * zeroed once, before either end uses it (ump_ring_clear). */
void ump_ring_clear(void *mem, uint32_t n);
MUST_CHECK err_t ump_tx_init(struct ump_tx *tx, void *mem, uint32_t n);
MUST_CHECK err_t ump_rx_init(struct ump_rx *rx, void *mem, uint32_t n);

/* Sends a copy of *m (its ctrl field is ignored). ERR_WOULDBLOCK if full;
 * ERR_DEAD once the receiver has hung up (ump_rx_close), full or not. The
 * sender reads the receiver's ack line only when the ring looks full. */
MUST_CHECK err_t ump_send(struct ump_tx *tx, const msg_t *m);

/* Takes the next message into *m. ERR_WOULDBLOCK if there is none. */
MUST_CHECK err_t ump_recv(struct ump_rx *rx, msg_t *m);

/* The receiver hangs up: the sender's next ump_send fails with ERR_DEAD, and
 * ump_tx_closed tells a sender waiting for an answer that none will come.
 * Messages already in the ring stay there for nobody. */
void ump_rx_close(struct ump_rx *rx);
bool ump_tx_closed(const struct ump_tx *tx);

/* Whether every message sent has been acknowledged by the receiver. */
bool ump_tx_drained(struct ump_tx *tx);

/* Blocking, without lost wake-ups (a Dekker-style handshake on two words):
 * the receiver calls ump_rx_prepare_wait, and blocks only if it returns true
 * (nothing arrived meanwhile), on whatever its platform offers (an IPI-backed
 * wait in the system, a futex on ump_rx_wait_word when hosted), and calls
 * ump_rx_done_waiting once awake. A sender calls ump_tx_wants_wake after a
 * send, and wakes the receiver if it returns true; it clears the flag, so a
 * receiver that waits for the flag to change cannot miss the wake. */
bool ump_rx_prepare_wait(struct ump_rx *rx);
void ump_rx_done_waiting(struct ump_rx *rx);
uint32_t *ump_rx_wait_word(struct ump_rx *rx);
bool ump_tx_wants_wake(struct ump_tx *tx);
uint32_t *ump_tx_wait_word(struct ump_tx *tx);

/* A channel: two rings in one shared region, one per direction. Side 0 sends
 * on the first ring and receives on the second; side 1 the other way round. */
#define UMP_CHAN_BYTES(n) (2 * UMP_RING_BYTES(n))

struct ump_chan {
    struct ump_tx tx;
    struct ump_rx rx;
};

/* Region must be zeroed once before either side uses it (ump_chan_clear). */
void ump_chan_clear(void *mem, uint32_t n);
MUST_CHECK err_t ump_chan_init(struct ump_chan *c, void *mem, uint32_t n, int side);
/* Hangs up side's receiving ring of the channel in mem, for a side that cannot
 * do it itself: the monitor of a domain that died does it for that domain, so
 * the other side's sends and the answers it waits for fail with ERR_DEAD. */
MUST_CHECK err_t ump_chan_hang_up_side(void *mem, uint32_t n, int side);

#endif
