/* virtq.h — a virtio 1.x split virtqueue, the driver's side (virtio 1.1,
 * section 2.6): a descriptor table, the available ring the driver writes and
 * the used ring the device writes, in one block of memory the device reaches by
 * physical address. No transport here (see virtio.h) and no allocation: the
 * caller gives the memory. What the device writes is checked before use. */
#ifndef VIRTQ_H
#define VIRTQ_H

#include <err.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VIRTQ_MAX 256 /* the most descriptors a queue of ours has (a power of two) */

#define VIRTQ_DESC_F_NEXT      1 /* the chain goes on in .next */
#define VIRTQ_DESC_F_WRITE     2 /* the device writes this buffer (otherwise it reads it) */
#define VIRTQ_USED_F_NO_NOTIFY 1 /* the device needs no kick for now */

struct virtq_desc {
    uint64_t addr; /* physical, little-endian like every field here */
    uint32_t len;
    uint16_t flags;
    uint16_t next;
};

struct virtq_avail {
    uint16_t flags;
    uint16_t idx;
    uint16_t ring[];
};

struct virtq_used_elem {
    uint32_t id;  /* the head of the chain the device is done with */
    uint32_t len; /* how many bytes it wrote into the chain */
};

struct virtq_used {
    uint16_t flags;
    uint16_t idx;
    struct virtq_used_elem ring[];
};

/* One buffer of a request: physical address, length, and who writes it. */
struct virtq_buf {
    uint64_t addr;
    uint32_t len;
    bool device_writes;
};

struct virtq {
    uint16_t size;
    struct virtq_desc *desc;
    struct virtq_avail *avail;
    volatile struct virtq_used *used;
    uint64_t desc_pa, avail_pa, used_pa; /* what the transport tells the device */
    uint16_t free_head, free_count;
    uint16_t avail_idx; /* the next avail->idx: the driver's own count of what it offered */
    uint16_t used_seen; /* how far the used ring has been read */
    uint16_t chain_len[VIRTQ_MAX]; /* by head: descriptors in the chain, 0 if not in flight */
};

/* Bytes of memory a queue of size descriptors takes (the used ring starts on
 * its own 64-byte line, so the device's writes share no line with the driver's). */
size_t virtq_bytes(uint16_t size);

/* Lays a queue out in mem (virtq_bytes(size) bytes, zeroed here, 16-byte
 * aligned, at physical address mem_pa). ERR_INVAL unless size is a power of
 * two up to VIRTQ_MAX. */
MUST_CHECK err_t virtq_init(struct virtq *q, uint16_t size, void *mem, uint64_t mem_pa);

/* Offers a request of n buffers (device-readable before device-writable, as
 * the spec wants) and makes it visible to the device; *head names it until it
 * comes back. ERR_NOSPACE if too few descriptors are free (nothing is
 * offered), ERR_INVAL for n == 0, a zero length or a readable buffer after a
 * writable one. */
MUST_CHECK err_t virtq_add(struct virtq *q, const struct virtq_buf *bufs, unsigned n,
                           uint16_t *head);

/* Whether the device wants a notification for what was just offered (it may
 * say it does not, VIRTQ_USED_F_NO_NOTIFY). */
bool virtq_kick_wanted(const struct virtq *q);

/* Takes one finished request: OK with its head and the bytes the device wrote,
 * ERR_EMPTY if none is waiting, ERR_BADHDR if the device named a chain that is
 * not in flight (that entry is skipped; the queue stays usable). */
MUST_CHECK err_t virtq_get(struct virtq *q, uint16_t *head, uint32_t *written);

/* Requests offered and not yet taken back. */
unsigned virtq_in_flight(const struct virtq *q);

#endif
