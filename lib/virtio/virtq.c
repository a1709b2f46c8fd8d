/* virtq.c — the driver's side of a split virtqueue (virtio 1.1, 2.6). The
 * device runs concurrently and sees memory by DMA, so every hand-over is
 * ordered: descriptors and the ring entry before avail->idx (release), the
 * used entry only after used->idx is read (acquire), and avail->idx before
 * used->flags is read (full fence, 2.6.13.4). Nothing the device writes is
 * trusted as an index before it is checked. */
#include <string.h>
#include <virtq.h>

#define USED_ALIGN 64

static size_t avail_bytes(uint16_t size) { return 4 + 2u * size + 2; /* + used_event */ }

static size_t used_offset(uint16_t size)
{
    size_t end = sizeof(struct virtq_desc) * size + avail_bytes(size);
    return (end + USED_ALIGN - 1) & ~(size_t)(USED_ALIGN - 1);
}

size_t virtq_bytes(uint16_t size)
{
    return used_offset(size) + 4 + sizeof(struct virtq_used_elem) * size + 2; /* + avail_event */
}

err_t virtq_init(struct virtq *q, uint16_t size, void *mem, uint64_t mem_pa)
{
    if (size == 0 || size > VIRTQ_MAX || (size & (size - 1)) != 0 || ((uintptr_t)mem & 15) != 0)
        return ERR_INVAL;
    memset(mem, 0, virtq_bytes(size));
    memset(q, 0, sizeof *q);
    uint8_t *base = mem;
    size_t avail_at = sizeof(struct virtq_desc) * size;
    q->size = size;
    q->desc = mem;
    q->avail = (struct virtq_avail *)(base + avail_at);
    q->used = (volatile struct virtq_used *)(base + used_offset(size));
    q->desc_pa = mem_pa;
    q->avail_pa = mem_pa + avail_at;
    q->used_pa = mem_pa + used_offset(size);
    for (uint16_t i = 0; i < size; i++)
        q->desc[i].next = (uint16_t)(i + 1); /* the free list, through .next */
    q->free_count = size;
    return OK;
}

static err_t bufs_ok(const struct virtq_buf *bufs, unsigned n)
{
    if (n == 0)
        return ERR_INVAL;
    bool writing = false;
    for (unsigned i = 0; i < n; i++) {
        if (bufs[i].len == 0 || (writing && !bufs[i].device_writes))
            return ERR_INVAL;
        writing = bufs[i].device_writes;
    }
    return OK;
}

err_t virtq_add(struct virtq *q, const struct virtq_buf *bufs, unsigned n, uint16_t *head)
{
    err_t err = bufs_ok(bufs, n);
    if (err != OK)
        return err;
    if (n > q->free_count)
        return ERR_NOSPACE;
    uint16_t first = q->free_head, d = first, last = first;
    for (unsigned i = 0; i < n; i++) {
        struct virtq_desc *desc = &q->desc[d];
        uint16_t next = desc->next;
        desc->addr = bufs[i].addr;
        desc->len = bufs[i].len;
        desc->flags = (uint16_t)((bufs[i].device_writes ? VIRTQ_DESC_F_WRITE : 0) |
                                 (i + 1 < n ? VIRTQ_DESC_F_NEXT : 0));
        last = d;
        d = next;
    }
    q->free_head = q->desc[last].next;
    q->free_count = (uint16_t)(q->free_count - n);
    q->chain_len[first] = (uint16_t)n;
    q->avail->ring[q->avail_idx & (q->size - 1)] = first;
    q->avail_idx++;
    /* The device may read the ring entry and descriptors once it sees idx. */
    __atomic_store_n(&q->avail->idx, q->avail_idx, __ATOMIC_RELEASE);
    *head = first;
    return OK;
}

bool virtq_kick_wanted(const struct virtq *q)
{
    /* avail->idx must be visible before the device's flag is read, or both
     * sides could decide the other one will act. */
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    uint16_t flags = __atomic_load_n(&q->used->flags, __ATOMIC_RELAXED);
    return (flags & VIRTQ_USED_F_NO_NOTIFY) == 0;
}

static void chain_free(struct virtq *q, uint16_t head)
{
    uint16_t d = head, n = q->chain_len[head];
    for (uint16_t i = 1; i < n; i++)
        d = q->desc[d].next;
    q->desc[d].next = q->free_head; /* the whole chain goes back to the front */
    q->free_head = head;
    q->free_count = (uint16_t)(q->free_count + n);
    q->chain_len[head] = 0;
}

err_t virtq_get(struct virtq *q, uint16_t *head, uint32_t *written)
{
    uint16_t idx = __atomic_load_n(&q->used->idx, __ATOMIC_ACQUIRE);
    if (idx == q->used_seen)
        return ERR_EMPTY;
    volatile struct virtq_used_elem *e = &q->used->ring[q->used_seen & (q->size - 1)];
    uint32_t id = e->id, len = e->len;
    q->used_seen++;
    if (id >= q->size || q->chain_len[id] == 0)
        return ERR_BADHDR;
    chain_free(q, (uint16_t)id);
    *head = (uint16_t)id;
    *written = len;
    return OK;
}

unsigned virtq_in_flight(const struct virtq *q)
{
    unsigned n = 0;
    for (unsigned i = 0; i < q->size; i++)
        n += q->chain_len[i] != 0;
    return n;
}
