/* virtq_test.c — the split virtqueue against a simulated block device that
 * reads the rings the way the spec says a device does: requests of a header,
 * data and a status byte, completed in random order, with the data checked
 * against a model disk. Also: a full queue offers nothing, a device naming a
 * chain not in flight is refused and the queue goes on, a device that asks
 * for no kicks gets none. */
#include <stdbool.h>
#include <stdlib.h>
#include <virtq.h>

#include "test.h"

#define SECTOR  512
#define SECTORS 64

struct req_hdr {
    uint32_t write; /* 0: the device fills the data; 1: it stores it */
    uint32_t sector;
};

struct sim {
    struct virtq *q;
    uint16_t last_avail;
    uint16_t pending[VIRTQ_MAX]; /* heads taken from the avail ring, not yet used */
    unsigned npending;
    uint8_t disk[SECTORS][SECTOR];
};

static void *va(uint64_t pa) { return (void *)(uintptr_t)pa; }
static uint64_t pa(const void *p) { return (uint64_t)(uintptr_t)p; }

/* The device's view: everything new in the avail ring becomes pending. */
static void sim_take(struct sim *s)
{
    uint16_t idx = __atomic_load_n(&s->q->avail->idx, __ATOMIC_ACQUIRE);
    while (s->last_avail != idx) {
        s->pending[s->npending++] = s->q->avail->ring[s->last_avail & (s->q->size - 1)];
        s->last_avail++;
    }
}

/* Runs request head (header, data, status) against the disk; returns the
 * bytes written into the chain, or -1 if the chain is malformed. */
static long sim_run(struct sim *s, uint16_t head)
{
    struct virtq_desc *d[3];
    uint16_t i = head;
    for (int n = 0; n < 3; n++) {
        d[n] = &s->q->desc[i];
        bool more = d[n]->flags & VIRTQ_DESC_F_NEXT;
        if (more != (n < 2))
            return -1;
        i = d[n]->next;
    }
    if ((d[0]->flags & VIRTQ_DESC_F_WRITE) || !(d[2]->flags & VIRTQ_DESC_F_WRITE) ||
        d[0]->len != sizeof(struct req_hdr) || d[1]->len != SECTOR || d[2]->len != 1)
        return -1;
    const struct req_hdr *h = va(d[0]->addr);
    if (h->sector >= SECTORS)
        return -1;
    bool dev_writes = d[1]->flags & VIRTQ_DESC_F_WRITE;
    if (h->write == dev_writes)
        return -1;
    if (h->write)
        memcpy(s->disk[h->sector], va(d[1]->addr), SECTOR);
    else
        memcpy(va(d[1]->addr), s->disk[h->sector], SECTOR);
    *(uint8_t *)va(d[2]->addr) = 0;
    return h->write ? 1 : SECTOR + 1;
}

static void sim_used(struct sim *s, uint32_t id, uint32_t len)
{
    volatile struct virtq_used *u = s->q->used;
    u->ring[u->idx & (s->q->size - 1)] = (struct virtq_used_elem){id, len};
    __atomic_store_n(&u->idx, (uint16_t)(u->idx + 1), __ATOMIC_RELEASE);
}

/* Finishes one pending request chosen at random: out of order on purpose. */
static bool sim_complete_one(struct sim *s)
{
    if (s->npending == 0)
        return false;
    unsigned k = (unsigned)rand() % s->npending;
    uint16_t head = s->pending[k];
    s->pending[k] = s->pending[--s->npending];
    long written = sim_run(s, head);
    if (written < 0)
        return false;
    sim_used(s, head, (uint32_t)written);
    return true;
}

struct slot {
    struct req_hdr hdr;
    uint8_t data[SECTOR];
    uint8_t status;
    bool busy;
};

/* Each case runs in its own process, so one queue and one device each. */
static struct virtq *fresh_queue(uint16_t size)
{
    static struct virtq q;
    static _Alignas(64) uint8_t mem[8192];
    if (virtq_bytes(size) > sizeof mem || virtq_init(&q, size, mem, pa(mem)) != OK)
        return NULL;
    return &q;
}

static struct sim *fresh_sim(struct virtq *q)
{
    static struct sim s;
    s.q = q;
    return &s;
}

TEST(sizes_that_are_not_powers_of_two_or_too_large_are_refused)
{
    static _Alignas(64) uint8_t mem[16384];
    struct virtq q;
    CHECK_EQ(virtq_init(&q, 0, mem, 0), ERR_INVAL);
    CHECK_EQ(virtq_init(&q, 6, mem, 0), ERR_INVAL);
    CHECK_EQ(virtq_init(&q, VIRTQ_MAX * 2, mem, 0), ERR_INVAL);
    CHECK_EQ(virtq_init(&q, 8, mem + 4, 0), ERR_INVAL);
    CHECK_EQ(virtq_init(&q, 8, mem, 0x1000), OK);
    CHECK_EQ(q.desc_pa, 0x1000);
    CHECK(q.avail_pa % 2 == 0 && q.used_pa % 64 == 0); /* the spec: 16, 2 and 4 */
    CHECK(q.used_pa - 0x1000 + 4 + 8 * 8 + 2 <= virtq_bytes(8));
}

/* The driver's side of the test: offers a random read or write of a sector. */
static err_t offer(struct virtq *q, struct slot *slots, int *slot_of)
{
    struct slot *sl = NULL;
    for (unsigned i = 0; i < VIRTQ_MAX && sl == NULL; i++)
        sl = slots[i].busy ? NULL : &slots[i];
    sl->hdr =
        (struct req_hdr){.write = (uint32_t)(rand() & 1), .sector = (uint32_t)rand() % SECTORS};
    for (unsigned b = 0; sl->hdr.write && b < SECTOR; b++)
        sl->data[b] = (uint8_t)rand();
    sl->status = 0xff;
    struct virtq_buf bufs[3] = {{pa(&sl->hdr), sizeof sl->hdr, false},
                                {pa(sl->data), SECTOR, !sl->hdr.write},
                                {pa(&sl->status), 1, true}};
    uint16_t head;
    err_t err = virtq_add(q, bufs, 3, &head);
    if (err == OK) {
        sl->busy = true;
        slot_of[head] = (int)(sl - slots);
    }
    return err;
}

TEST(random_requests_complete_out_of_order_with_the_right_data)
{
    struct virtq *q = fresh_queue(16);
    CHECK(q != NULL);
    struct sim *s = fresh_sim(q);
    static uint8_t model[SECTORS][SECTOR];
    static struct slot slots[VIRTQ_MAX];
    static int slot_of[VIRTQ_MAX];
    srand(7);
    unsigned done = 0, refused = 0;
    for (int step = 0; step < 30000; step++) {
        int what = step < 29000 ? rand() % 3 : 1 + step % 2; /* at the end, drain */
        if (what == 0) {
            uint16_t idx_before = q->avail->idx;
            err_t err = offer(q, slots, slot_of);
            if (err == ERR_NOSPACE) {
                CHECK(q->free_count < 3);
                CHECK_EQ(q->avail->idx, idx_before); /* nothing half-offered */
                refused++;
            } else {
                CHECK_EQ(err, OK);
            }
        } else if (what == 1) { /* the device does one, picked at random */
            sim_take(s);
            if (s->npending > 0)
                CHECK(sim_complete_one(s));
        } else { /* the driver takes back all that is done */
            uint16_t head;
            uint32_t written;
            err_t err;
            while ((err = virtq_get(q, &head, &written)) == OK) {
                struct slot *sl = &slots[slot_of[head]];
                CHECK(sl->busy);
                CHECK_EQ(sl->status, 0);
                CHECK_EQ(written, sl->hdr.write ? 1 : SECTOR + 1);
                if (sl->hdr.write)
                    memcpy(model[sl->hdr.sector], sl->data, SECTOR);
                else
                    CHECK(memcmp(model[sl->hdr.sector], sl->data, SECTOR) == 0);
                sl->busy = false;
                done++;
            }
            CHECK_EQ(err, ERR_EMPTY);
        }
    }
    CHECK(done > 5000 && refused > 0);
    CHECK_EQ(virtq_in_flight(q), 0);
    CHECK_EQ(q->free_count, q->size);
}

TEST(a_device_naming_a_chain_not_in_flight_is_refused_and_the_queue_goes_on)
{
    struct virtq *q = fresh_queue(8);
    CHECK(q != NULL);
    struct sim *s = fresh_sim(q);
    static uint8_t byte;
    struct virtq_buf buf = {pa(&byte), 1, true};
    uint16_t head, got;
    uint32_t written;
    CHECK_EQ(virtq_add(q, &buf, 1, &head), OK);
    sim_used(s, 99, 1);       /* past the table */
    sim_used(s, head + 1, 1); /* a free descriptor */
    sim_used(s, head, 1);
    CHECK_EQ(virtq_get(q, &got, &written), ERR_BADHDR);
    CHECK_EQ(virtq_get(q, &got, &written), ERR_BADHDR);
    CHECK_EQ(virtq_get(q, &got, &written), OK);
    CHECK_EQ(got, head);
    sim_used(s, head, 1); /* the same chain twice */
    CHECK_EQ(virtq_get(q, &got, &written), ERR_BADHDR);
    CHECK_EQ(virtq_get(q, &got, &written), ERR_EMPTY);
    CHECK_EQ(q->free_count, 8);
}

TEST(bad_buffer_lists_are_refused_before_anything_is_offered)
{
    struct virtq *q = fresh_queue(8);
    CHECK(q != NULL);
    static uint8_t b[2];
    uint16_t head;
    struct virtq_buf readable_after_writable[2] = {{pa(b), 1, true}, {pa(b + 1), 1, false}};
    struct virtq_buf empty[1] = {{pa(b), 0, false}};
    struct virtq_buf nine[9];
    for (int i = 0; i < 9; i++)
        nine[i] = (struct virtq_buf){pa(b), 1, false};
    CHECK_EQ(virtq_add(q, readable_after_writable, 2, &head), ERR_INVAL);
    CHECK_EQ(virtq_add(q, empty, 1, &head), ERR_INVAL);
    CHECK_EQ(virtq_add(q, nine, 0, &head), ERR_INVAL);
    CHECK_EQ(virtq_add(q, nine, 9, &head), ERR_NOSPACE);
    CHECK_EQ(q->avail->idx, 0);
    CHECK_EQ(virtq_add(q, nine, 8, &head), OK);
    CHECK_EQ(q->free_count, 0);
}

TEST(a_device_that_wants_no_kicks_gets_none)
{
    struct virtq *q = fresh_queue(4);
    CHECK(q != NULL);
    CHECK(virtq_kick_wanted(q));
    q->used->flags = VIRTQ_USED_F_NO_NOTIFY;
    CHECK(!virtq_kick_wanted(q));
}
