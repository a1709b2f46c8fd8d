/* ump.c — the single-producer single-consumer message ring. The same source runs
 * in CPU drivers, domains and hosted processes; it relies only on C11-style
 * atomic builtins for the two published words. */
#include <string.h>
#include <ump.h>

/* The low byte of the sequence number plus one: a ring of fewer than 256 slots
 * never holds the value it waits for until that message is written. */
static uint8_t ctrl_for(uint64_t seq) { return (uint8_t)(seq + 1); }

static bool valid_size(uint32_t n) { return n >= 2 && n <= UMP_MAX_SLOTS && (n & (n - 1)) == 0; }

void ump_ring_clear(void *mem, uint32_t n) { memset(mem, 0, UMP_RING_BYTES(n)); }

err_t ump_tx_init(struct ump_tx *tx, void *mem, uint32_t n)
{
    if (mem == NULL || !valid_size(n) || ((uintptr_t)mem & (MSG_SIZE - 1)) != 0)
        return ERR_INVAL;
    tx->slots = mem;
    tx->ack = (const struct ump_ack *)((uint8_t *)mem + (size_t)n * MSG_SIZE);
    tx->hangup = (const struct ump_hangup *)(tx->ack + 1);
    tx->n = n;
    tx->seq = 0;
    tx->acked = 0;
    return OK;
}

err_t ump_rx_init(struct ump_rx *rx, void *mem, uint32_t n)
{
    if (mem == NULL || !valid_size(n) || ((uintptr_t)mem & (MSG_SIZE - 1)) != 0)
        return ERR_INVAL;
    rx->slots = mem;
    rx->ack = (struct ump_ack *)((uint8_t *)mem + (size_t)n * MSG_SIZE);
    rx->hangup = (struct ump_hangup *)(rx->ack + 1);
    rx->n = n;
    rx->seq = 0;
    rx->published = 0;
    return OK;
}

void ump_rx_close(struct ump_rx *rx) { __atomic_store_n(&rx->hangup->closed, 1, __ATOMIC_SEQ_CST); }

bool ump_tx_closed(const struct ump_tx *tx)
{
    return __atomic_load_n(&tx->hangup->closed, __ATOMIC_ACQUIRE) != 0;
}

err_t ump_send(struct ump_tx *tx, const msg_t *m)
{
    if (ump_tx_closed(tx)) /* a line written once: a shared read hit */
        return ERR_DEAD;
    if (tx->seq - tx->acked >= tx->n) {
        /* Looks full: only now read the receiver's line. */
        tx->acked = __atomic_load_n(&tx->ack->consumed, __ATOMIC_ACQUIRE);
        if (tx->seq - tx->acked >= tx->n)
            return ERR_WOULDBLOCK;
    }
    msg_t *slot = &tx->slots[tx->seq & (tx->n - 1)];
    slot->type = m->type;
    slot->len = m->len;
    slot->source = m->source;
    memcpy(slot->payload, m->payload, MSG_PAYLOAD_SIZE);
    __atomic_store_n(&slot->ctrl, ctrl_for(tx->seq), __ATOMIC_RELEASE);
    tx->seq++;
    return OK;
}

err_t ump_recv(struct ump_rx *rx, msg_t *m)
{
    const msg_t *slot = &rx->slots[rx->seq & (rx->n - 1)];
    if (__atomic_load_n(&slot->ctrl, __ATOMIC_ACQUIRE) != ctrl_for(rx->seq)) {
        /* Empty: publish what we have taken, so a waiting sender can go on. */
        if (rx->published != rx->seq) {
            __atomic_store_n(&rx->ack->consumed, rx->seq, __ATOMIC_RELEASE);
            rx->published = rx->seq;
        }
        return ERR_WOULDBLOCK;
    }
    m->type = slot->type;
    m->ctrl = 0;
    m->len = slot->len;
    m->source = slot->source;
    memcpy(m->payload, slot->payload, MSG_PAYLOAD_SIZE);
    rx->seq++;
    /* Acknowledge in batches of a quarter ring: one shared-line write per batch. */
    if (rx->seq - rx->published >= rx->n / 4) {
        __atomic_store_n(&rx->ack->consumed, rx->seq, __ATOMIC_RELEASE);
        rx->published = rx->seq;
    }
    return OK;
}

bool ump_tx_drained(struct ump_tx *tx)
{
    tx->acked = __atomic_load_n(&tx->ack->consumed, __ATOMIC_ACQUIRE);
    return tx->acked == tx->seq;
}

bool ump_rx_prepare_wait(struct ump_rx *rx)
{
    __atomic_store_n(&rx->ack->waiting, 1, __ATOMIC_SEQ_CST);
    /* Publish what was taken, so that a sender waiting for room wakes us. */
    if (rx->published != rx->seq) {
        __atomic_store_n(&rx->ack->consumed, rx->seq, __ATOMIC_SEQ_CST);
        rx->published = rx->seq;
    }
    const msg_t *slot = &rx->slots[rx->seq & (rx->n - 1)];
    if (__atomic_load_n(&slot->ctrl, __ATOMIC_SEQ_CST) == ctrl_for(rx->seq)) {
        __atomic_store_n(&rx->ack->waiting, 0, __ATOMIC_RELAXED);
        return false; /* something arrived: do not block */
    }
    return true;
}

void ump_rx_done_waiting(struct ump_rx *rx)
{
    __atomic_store_n(&rx->ack->waiting, 0, __ATOMIC_RELAXED);
}

uint32_t *ump_rx_wait_word(struct ump_rx *rx) { return &rx->ack->waiting; }

bool ump_tx_wants_wake(struct ump_tx *tx)
{
    /* Orders the slot's publication before the read of the flag (store-load). */
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    uint32_t *waiting = (uint32_t *)&tx->ack->waiting;
    if (__atomic_load_n(waiting, __ATOMIC_RELAXED) == 0)
        return false;
    /* The one write a sender makes to the receiver's line, and only when it is
     * blocking: clearing the flag is what lets a futex-style wait see the wake
     * that races with it going to sleep. Exactly one sender wins. */
    return __atomic_exchange_n(waiting, 0, __ATOMIC_SEQ_CST) != 0;
}

uint32_t *ump_tx_wait_word(struct ump_tx *tx) { return (uint32_t *)&tx->ack->waiting; }

void ump_chan_clear(void *mem, uint32_t n) { memset(mem, 0, UMP_CHAN_BYTES(n)); }

err_t ump_chan_init(struct ump_chan *c, void *mem, uint32_t n, int side)
{
    if (side != 0 && side != 1)
        return ERR_INVAL;
    uint8_t *first = mem, *second = first + UMP_RING_BYTES(n);
    err_t err = ump_tx_init(&c->tx, side == 0 ? first : second, n);
    if (err == OK)
        err = ump_rx_init(&c->rx, side == 0 ? second : first, n);
    return err;
}

err_t ump_chan_hang_up_side(void *mem, uint32_t n, int side)
{
    struct ump_chan c;
    err_t err = ump_chan_init(&c, mem, n, side);
    if (err == OK)
        ump_rx_close(&c.rx);
    return err;
}
