/* vdisk.c — the hosted disks: virtio-mmio block devices (virtio 1.1, 4.2.2
 * and 5.2) whose store is an image file, read and written with pread and
 * pwrite. The drivers are the unchanged bus driver and virtioblk: their
 * register accesses fault in their processes, the loader decodes the mov and
 * loop.c brings it here. A disk's state is in the machine's memory, so that
 * whichever core its driver runs on serves it; each core's process opens the
 * image itself. The queue is processed when the driver writes QueueNotify,
 * within that access, and the interrupt line is raised on the core the
 * monitors routed it to. Whatever the driver wrote is checked: a bad
 * descriptor fails its request (VIRTIO_BLK_S_IOERR), never the kernel. */
#include <arch.h>
#include <errno.h>
#include <fcntl.h>
#include <irq.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <virtio.h>
#include <virtq.h>

#include "hosted.h"

#define SECTOR      512ull
#define QUEUE_MAX   256u
#define VENDOR      0x74736f68u /* "host" */
#define BLK_F_FLUSH (1ull << 9)
#define F_VERSION_1 (1ull << 32)
#define FEATURES    (BLK_F_FLUSH | F_VERSION_1)

enum {
    MAGIC = 0x000,
    VERSION = 0x004,
    DEVICE_ID = 0x008,
    VENDOR_ID = 0x00c,
    DF = 0x010,
    DF_SELECT = 0x014,
    GF = 0x020,
    GF_SELECT = 0x024,
    Q_SELECT = 0x030,
    Q_NUM_MAX = 0x034,
    Q_NUM = 0x038,
    Q_READY = 0x044,
    Q_NOTIFY = 0x050,
    IRQ_STATUS = 0x060,
    IRQ_ACK = 0x064,
    STATUS = 0x070,
    Q_DESC = 0x080,
    Q_DRIVER = 0x090,
    Q_DEVICE = 0x0a0,
    GENERATION = 0x0fc,
    CONFIG = 0x100,
};

enum { T_IN = 0, T_OUT = 1, T_FLUSH = 4, T_GET_ID = 8 };
enum { S_OK = 0, S_IOERR = 1, S_UNSUPP = 2 };
#define DESC_NEXT  1
#define DESC_WRITE 2

struct vdisk {
    char path[512];
    uint64_t sectors;
    uint32_t present;
    uint32_t lock;
    uint32_t status, df_select, gf_select, q_select, q_num, q_ready, isr;
    uint32_t route; /* 1 + the core its line goes to; 0: not routed */
    uint64_t desc, avail, used;
    uint16_t last_avail;
};

_Static_assert(VDISK_MAX * sizeof(struct vdisk) <= HOSTED_DEVICES - HOSTED_DEVICE_STATE,
               "the disks' state fits below their registers");

static int fds[VDISK_MAX];         /* this process's descriptor of each image, + 1 */
static bool in_service[VDISK_MAX]; /* its line raised here and not yet acknowledged */

static struct vdisk *disk(unsigned i)
{
    return (struct vdisk *)arch_phys_to_virt(HOSTED_DEVICE_STATE) + i;
}

static paddr_t regs_of(unsigned i) { return HOSTED_DEVICES + (uint64_t)i * PAGE_SIZE; }

bool hosted_device_page(paddr_t pa)
{
    return pa >= HOSTED_DEVICES && pa < HOSTED_DEVICES + VDISK_MAX * PAGE_SIZE &&
           disk((unsigned)((pa - HOSTED_DEVICES) / PAGE_SIZE))->present;
}

bool vdisk_attach(unsigned i, const char *path)
{
    struct stat st;
    if (i >= VDISK_MAX || strlen(path) >= sizeof disk(i)->path || stat(path, &st) != 0 ||
        !S_ISREG(st.st_mode)) {
        fprintf(stderr, "cpudriver: disk %s: %s\n", path,
                i >= VDISK_MAX ? "too many disks" : strerror(errno));
        return false;
    }
    struct vdisk *v = disk(i);
    memset(v, 0, sizeof *v);
    strcpy(v->path, path);
    v->sectors = (uint64_t)st.st_size / SECTOR;
    v->present = 1;
    return true;
}

/* The bus driver probes virtio-mmio regions from the last to the first (as
 * QEMU's virt machine fills its slots), so disk 0 is the last region. */
void vdisk_describe(struct boot_info *info)
{
    unsigned n = 0;
    while (n < VDISK_MAX && disk(n)->present)
        n++;
    for (unsigned i = 0; i < n; i++)
        info->bus[n - 1 - i] = (struct bus_region){
            .kind = BUS_VIRTIO_MMIO, .irq = VDISK_IRQ + i, .base = regs_of(i), .size = PAGE_SIZE};
    info->bus_count = n;
}

static int image(unsigned i)
{
    if (fds[i] == 0) {
        int fd = open(disk(i)->path, O_RDWR | O_CLOEXEC);
        if (fd < 0)
            return -1;
        fds[i] = fd + 1;
    }
    return fds[i] - 1;
}

static void lock(struct vdisk *v)
{
    while (__atomic_exchange_n(&v->lock, 1, __ATOMIC_ACQUIRE))
        sched_yield();
}

static void unlock(struct vdisk *v) { __atomic_store_n(&v->lock, 0, __ATOMIC_RELEASE); }

/* [pa, pa + bytes) of RAM, or NULL: a driver's addresses are not trusted. */
static void *ram(uint64_t pa, uint64_t bytes)
{
    if (pa < HOSTED_RAM_BASE || bytes > hosted_ram_bytes || pa > hosted_ram_bytes - bytes)
        return NULL;
    return arch_phys_to_virt(pa);
}

/* Moves bytes between the image at offset and RAM at pa. */
static bool transfer(unsigned i, bool to_disk, uint64_t offset, uint64_t pa, uint32_t bytes)
{
    uint8_t *buf = ram(pa, bytes);
    int fd = image(i);
    if (buf == NULL || fd < 0 || offset + bytes > disk(i)->sectors * SECTOR)
        return false;
    for (uint32_t done = 0; done < bytes;) {
        ssize_t n = to_disk ? pwrite(fd, buf + done, bytes - done, (off_t)(offset + done))
                            : pread(fd, buf + done, bytes - done, (off_t)(offset + done));
        if (n <= 0)
            return false;
        done += (uint32_t)n;
    }
    return true;
}

/* One request: its chain, its header, its buffers and its status byte. The
 * bytes it wrote into the chain for the used ring. */
static uint32_t serve(unsigned i, const struct virtq_desc *table, uint16_t head)
{
    struct vdisk *v = disk(i);
    struct virtq_desc chain[QUEUE_MAX];
    unsigned n = 0;
    for (uint16_t at = head;; at = chain[n - 1].next) {
        if (at >= v->q_num || n == v->q_num)
            return 0; /* out of the table, or a loop: nothing can be answered */
        chain[n++] = table[at];
        if (!(chain[n - 1].flags & DESC_NEXT))
            break;
    }
    struct {
        uint32_t type, reserved;
        uint64_t sector;
    } hdr;
    uint8_t *status = n >= 2 ? ram(chain[n - 1].addr, 1) : NULL;
    const void *h = chain[0].len >= sizeof hdr ? ram(chain[0].addr, sizeof hdr) : NULL;
    if (status == NULL || h == NULL || !(chain[n - 1].flags & DESC_WRITE))
        return 0;
    memcpy(&hdr, h, sizeof hdr);
    uint8_t result = S_OK;
    uint32_t written = 1;
    uint64_t offset = hdr.sector * SECTOR;
    if (hdr.type == T_IN || hdr.type == T_OUT) {
        for (unsigned k = 1; k + 1 < n && result == S_OK; k++) {
            bool device_writes = chain[k].flags & DESC_WRITE;
            if (device_writes != (hdr.type == T_IN) || hdr.sector > v->sectors ||
                !transfer(i, hdr.type == T_OUT, offset, chain[k].addr, chain[k].len))
                result = S_IOERR;
            offset += chain[k].len;
            written += hdr.type == T_IN ? chain[k].len : 0;
        }
    } else if (hdr.type == T_FLUSH) {
        int fd = image(i);
        result = fd >= 0 && fdatasync(fd) == 0 ? S_OK : S_IOERR;
    } else {
        result = S_UNSUPP;
    }
    *status = result;
    return written;
}

/* Everything the driver made available since last time goes to the used ring. */
static void notified(unsigned i)
{
    struct vdisk *v = disk(i);
    if (!v->q_ready || v->q_num == 0)
        return;
    const struct virtq_desc *table = ram(v->desc, (uint64_t)v->q_num * sizeof *table);
    struct virtq_avail *avail = ram(v->avail, 4 + 2ull * v->q_num);
    struct virtq_used *used = ram(v->used, 4 + 8ull * v->q_num);
    if (table == NULL || avail == NULL || used == NULL)
        return;
    uint16_t end = __atomic_load_n(&avail->idx, __ATOMIC_ACQUIRE);
    bool any = false;
    for (; v->last_avail != end; v->last_avail++) {
        uint16_t head = avail->ring[v->last_avail % v->q_num];
        uint32_t len = serve(i, table, head);
        uint16_t u = used->idx;
        used->ring[u % v->q_num] = (struct virtq_used_elem){.id = head, .len = len};
        __atomic_store_n(&used->idx, (uint16_t)(u + 1), __ATOMIC_RELEASE);
        any = true;
    }
    if (any) {
        v->isr |= 1;
        if (v->route != 0 && v->route - 1 != boot_self()->id)
            hosted_ring(v->route - 1); /* its core raises the line */
    }
}

static void reset(struct vdisk *v)
{
    v->status = v->df_select = v->gf_select = v->q_select = v->q_num = v->q_ready = v->isr = 0;
    v->desc = v->avail = v->used = 0;
    v->last_avail = 0;
}

static void set_half(uint64_t *field, unsigned off, uint32_t value)
{
    *field = off & 4 ? (*field & 0xffffffffull) | (uint64_t)value << 32
                     : (*field & ~0xffffffffull) | value;
}

static uint64_t load(struct vdisk *v, unsigned off)
{
    if (off >= CONFIG) { /* capacity, then nothing this driver reads */
        uint64_t c = off - CONFIG;
        return c == 0 ? (uint32_t)v->sectors : c == 4 ? (uint32_t)(v->sectors >> 32) : 0;
    }
    switch (off) {
    case MAGIC:
        return VIRTIO_MMIO_MAGIC;
    case VERSION:
        return 2;
    case DEVICE_ID:
        return 2; /* block */
    case VENDOR_ID:
        return VENDOR;
    case DF:
        return v->df_select == 0   ? (uint32_t)FEATURES
               : v->df_select == 1 ? (uint32_t)(FEATURES >> 32)
                                   : 0;
    case Q_NUM_MAX:
        return v->q_select == 0 ? QUEUE_MAX : 0;
    case Q_READY:
        return v->q_select == 0 ? v->q_ready : 0;
    case IRQ_STATUS:
        return v->isr;
    case STATUS:
        return v->status;
    default:
        return 0; /* GENERATION, and what reads as 0 */
    }
}

static void store(unsigned i, unsigned off, uint32_t value)
{
    struct vdisk *v = disk(i);
    bool queue = v->q_select == 0;
    switch (off) {
    case DF_SELECT:
        v->df_select = value;
        return;
    case GF_SELECT:
        v->gf_select = value;
        return;
    case Q_SELECT:
        v->q_select = value;
        return;
    case Q_NUM:
        if (queue && value <= QUEUE_MAX && value != 0 && (value & (value - 1)) == 0)
            v->q_num = value;
        return;
    case Q_READY:
        if (queue)
            v->q_ready = value & 1;
        return;
    case Q_NOTIFY:
        if (value == 0)
            notified(i);
        return;
    case IRQ_ACK:
        v->isr &= ~value;
        return;
    case STATUS:
        if (value == 0)
            reset(v);
        else
            v->status = value & 0xff;
        return;
    case Q_DESC:
    case Q_DESC + 4:
        if (queue)
            set_half(&v->desc, off, value);
        return;
    case Q_DRIVER:
    case Q_DRIVER + 4:
        if (queue)
            set_half(&v->avail, off, value);
        return;
    case Q_DEVICE:
    case Q_DEVICE + 4:
        if (queue)
            set_half(&v->used, off, value);
        return;
    default:
        return; /* GF: the driver's choice needs nothing here */
    }
}

bool vdisk_access(paddr_t pa, unsigned bytes, bool is_store, uint64_t *value)
{
    if (!hosted_device_page(pa) || bytes != 4)
        return false; /* virtio-mmio registers are 32 bits wide */
    unsigned i = (unsigned)((pa - HOSTED_DEVICES) / PAGE_SIZE);
    unsigned off = (unsigned)(pa & PAGE_MASK);
    struct vdisk *v = disk(i);
    lock(v);
    if (is_store)
        store(i, off, (uint32_t)*value);
    else
        *value = load(v, off);
    unlock(v);
    return true;
}

bool vdisk_line(uint64_t line)
{
    return line >= VDISK_IRQ && line < VDISK_IRQ + VDISK_MAX && disk(line - VDISK_IRQ)->present;
}

err_t vdisk_route(uint64_t line, coreid_t core)
{
    if (!vdisk_line(line))
        return ERR_INVAL;
    disk(line - VDISK_IRQ)->route = core + 1;
    return OK;
}

void vdisk_line_done(uint64_t line)
{
    if (vdisk_line(line))
        in_service[line - VDISK_IRQ] = false;
}

void vdisk_poll(void)
{
    for (unsigned i = 0; i < VDISK_MAX && disk(i)->present; i++) {
        struct vdisk *v = disk(i);
        if (v->route == boot_self()->id + 1 && v->isr != 0 && !in_service[i])
            in_service[i] = irq_raised(VDISK_IRQ + i);
    }
}
