/* klog.c — the boot core's console lines once a user-mode console driver owns
 * the UART. Until then (and again if the driver dies, and when the system
 * ends) the kernel writes the UART itself; while a driver holds the log, every
 * whole line (the kernel's own, and those domains print through SYS_PRINT on
 * any core) waits here and the driver is notified to collect it. A full log
 * drops new lines and says how many, so a stuck driver cannot stall the kernel.
 *
 * Bytes a read handed the driver stay in the log until its next read: only
 * then are they known written. A driver that dies between the two may have
 * written part of them, so the kernel writes them again, on a line of their
 * own: a piece of a line may show twice, but no line is lost. */
#include <arch.h>
#include <console.h>
#include <dispatch.h>
#include <fmt.h>
#include <irq.h>
#include <lmp_sys.h>
#include <syscall.h>

#define KLOG_BYTES 16384

static char ring[KLOG_BYTES];
static uint64_t head, tail; /* bytes written and written out, ever: tail <= head */
static uint64_t handed;     /* tail <= handed <= head: given to the driver, not yet known out */
static bool bound;
static uint32_t reader;
static uint64_t reader_bits;
static uint64_t dropped;

static struct sysret_value ret(err_t e, uint64_t v) { return (struct sysret_value){e, v}; }

static bool fits(size_t len) { return head - tail + len <= KLOG_BYTES; }

/* The oldest unread bytes that lie in one piece, at most max of them. */
static uint64_t next_piece(uint64_t from, uint64_t max, const char **at)
{
    uint64_t off = from % KLOG_BYTES, n = head - from;
    if (n > KLOG_BYTES - off)
        n = KLOG_BYTES - off;
    *at = ring + off;
    return n < max ? n : max;
}

/* The line that says how many lines were dropped. */
static size_t lost_note(char *buf, size_t cap)
{
    return fmt_format(buf, cap, "console: %lu lines lost (log full)", (unsigned long)dropped);
}

static void append(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        ring[head++ % KLOG_BYTES] = s[i];
}

bool klog_put(const char *line, size_t len)
{
    if (!bound)
        return false;
    struct dispatcher *t = dispatch_find(reader);
    if (t == NULL) {
        klog_release();
        return false;
    }
    if (dropped > 0) {
        char note[64];
        size_t n = lost_note(note, sizeof note);
        if (!fits(n + 1 + len + 1)) {
            dropped++;
            return true;
        }
        append(note, n);
        append("\n", 1);
        dropped = 0;
    }
    if (!fits(len + 1)) {
        dropped++;
        return true;
    }
    append(line, len);
    append("\n", 1);
    lmp_kernel_notify(t, reader_bits);
    return true;
}

void klog_release(void)
{
    if (!bound)
        return;
    bound = false;
    if (handed > tail)
        arch_serial_write("\n", 1); /* after what the driver may have cut short */
    const char *at;
    for (uint64_t n; (n = next_piece(tail, KLOG_BYTES, &at)) > 0; tail += n)
        arch_serial_write(at, n);
    handed = tail;
    if (dropped > 0) {
        char note[64];
        console_emit(note, lost_note(note, sizeof note));
        dropped = 0;
    }
}

void klog_on_death(const struct dispatcher *d)
{
    if (bound && reader == d->id)
        klog_release();
}

/* (klog, ep, bits): the domain ep leads to collects the lines from now on. */
struct sysret_value klog_sys_bind(struct dispatcher *d, const uint64_t a[6])
{
    struct cap *k;
    err_t err = cap_get(d, (capaddr_t)a[0], CAP_KLOG, CAP_RIGHT_READ, &k);
    if (err != OK)
        return ret(err, 0);
    struct dispatcher *t;
    if ((err = lmp_endpoint_target(d, (capaddr_t)a[1], &t)) != OK)
        return ret(err, 0);
    if (a[2] == 0)
        return ret(ERR_INVAL, 0);
    if (bound && dispatch_find(reader) != NULL && reader != t->id)
        return ret(ERR_PERM, 0); /* another driver has it */
    bound = true;
    handed = tail;
    reader = t->id;
    reader_bits = a[2];
    return ret(OK, 0);
}

/* (klog, buf, cap) -> bytes: what waits in the log, oldest first. What the
 * last read handed out is out now: the driver asks again only after. */
struct sysret_value klog_sys_read(struct dispatcher *d, const uint64_t a[6])
{
    struct cap *k;
    err_t err = cap_get(d, (capaddr_t)a[0], CAP_KLOG, CAP_RIGHT_READ, &k);
    if (err != OK)
        return ret(err, 0);
    if (!bound || reader != d->id)
        return ret(ERR_PERM, 0);
    tail = handed;
    uint64_t done = 0;
    const char *at;
    for (uint64_t n; (n = next_piece(tail + done, a[2] - done, &at)) > 0; done += n) {
        if ((err = uaccess_copy_out(d, a[1] + done, at, n)) != OK)
            return ret(err, 0);
    }
    handed = tail + done;
    return ret(OK, done);
}
