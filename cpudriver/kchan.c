/* kchan.c — both ends of the kernel channels (see kchan.h). The boot core's end
 * reassembles each core's line from its chunks before writing it, so lines
 * from different cores never interleave. */
#include <arch.h>
#include <boot.h>
#include <bootinfo.h>
#include <console.h>
#include <kchan.h>
#include <mem.h>
#include <string.h>
#include <ump.h>

#define CHUNK    (MSG_PAYLOAD_SIZE - 2)
#define LINE_MAX 512

struct text_payload {
    uint8_t len;
    uint8_t last;
    char text[CHUNK];
};
MSG_PAYLOAD_FITS(struct text_payload);

/* Boot core side. */
struct kchan_end {
    struct ump_rx rx;
    bool active;
    size_t line_len;
    char line[LINE_MAX];
};
static struct kchan_end *ends; /* core_count of them, in the boot core's own memory */
static paddr_t frames[MAX_CORES];

/* Other cores' side. */
static struct ump_tx tx;
static bool attached;

paddr_t kchan_create_for(coreid_t id)
{
    if (ends == NULL) {
        uint64_t bytes = sizeof(struct kchan_end) * boot_info()->core_count;
        paddr_t p = mem_alloc_contiguous(bytes);
        if (p == 0)
            return 0;
        ends = arch_phys_to_virt(p);
        memset(ends, 0, bytes);
    }
    paddr_t f = mem_alloc_contiguous(UMP_RING_BYTES(KCHAN_SLOTS));
    if (f == 0)
        return 0;
    ump_ring_clear(arch_phys_to_virt(f), KCHAN_SLOTS);
    frames[id] = f;
    return f;
}

void kchan_core_started(coreid_t id)
{
    if (ump_rx_init(&ends[id].rx, arch_phys_to_virt(frames[id]), KCHAN_SLOTS) != OK)
        panic("kernel channel of core %u is misaligned", id);
    ends[id].active = true;
    ends[id].line_len = 0;
}

static void take_text(coreid_t id, struct kchan_end *e, const struct text_payload *t)
{
    size_t len = t->len <= CHUNK ? t->len : CHUNK;
    if (e->line_len + len > LINE_MAX)
        len = LINE_MAX - e->line_len;
    memcpy(e->line + e->line_len, t->text, len);
    e->line_len += len;
    if (t->last || e->line_len == LINE_MAX) {
        console_emit(e->line, e->line_len);
        e->line_len = 0;
    }
    (void)id;
}

void kchan_poll(void)
{
    const struct boot_info *info = boot_info();
    if (ends == NULL)
        return;
    for (coreid_t id = 1; id < info->core_count; id++) {
        struct kchan_end *e = &ends[id];
        msg_t m;
        while (e->active && ump_recv(&e->rx, &m) == OK) {
            switch (m.type) {
            case KCHAN_TEXT:
                take_text(id, e, msg_payload_const(&m, struct text_payload));
                break;
            case KCHAN_READY:
                boot_core_ready(id);
                break;
            case KCHAN_PANIC:
                kprintf("boot: core %u panicked; stopping the system\n", id);
                system_exit(SYSTEM_EXIT_PANIC);
            default:
                kprintf("boot: core %u sent unknown kernel message %u\n", id, m.type);
                break;
            }
        }
    }
}

void kchan_attach(paddr_t frame)
{
    attached = ump_tx_init(&tx, arch_phys_to_virt(frame), KCHAN_SLOTS) == OK;
}

static void send(const msg_t *m)
{
    /* The boot core drains on every timer tick: wait for room, but not forever. */
    uint64_t deadline = arch_now_ns() + 2000000000ull;
    while (ump_send(&tx, m) == ERR_WOULDBLOCK) {
        if (arch_now_ns() > deadline) {
            attached = false; /* the boot core is gone: fall back to the UART */
            return;
        }
    }
}

void kchan_send_line(const char *text, size_t len)
{
    if (!attached) {
        arch_serial_write(text, len);
        return;
    }
    do {
        msg_t m = {.type = KCHAN_TEXT};
        struct text_payload *t = msg_payload(&m, struct text_payload);
        size_t n = len < CHUNK ? len : CHUNK;
        memcpy(t->text, text, n);
        t->len = (uint8_t)n;
        t->last = n == len;
        send(&m);
        text += n;
        len -= n;
    } while (len > 0 && attached);
}

void kchan_send(enum kchan_type type)
{
    msg_t m = {.type = (uint16_t)type};
    if (attached)
        send(&m);
}

bool kchan_flush(uint64_t timeout_ns)
{
    uint64_t deadline = arch_now_ns() + timeout_ns;
    while (attached && !ump_tx_drained(&tx)) {
        if (arch_now_ns() > deadline)
            return false;
    }
    return attached;
}
