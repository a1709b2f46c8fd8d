/* calls.c — one system call with hostile arguments, and what must hold of its
 * result whatever the arguments: a number past the table is ERR_NOSYS, a
 * monitor's call fails for everyone else, a bad pointer is an error (never a
 * success, never a fault in the caller), and every result is an err_t. The
 * fuzzer never ends itself: SYS_EXIT is left out, and what would block is
 * bounded (sleeps and waits of a few ms, receives that do not wait). */
#include <lmp_abi.h>
#include <msg.h>
#include <proto/ns.h>
#include <string.h>

#include "fuzz.h"

/* Requests to its monitor sysfuzz does not send in an LMP call or send: each
 * would start something or keep something for as long as the fuzzer lives
 * (a process, the watch of a core's deaths, a name, RAM, an export), and a
 * few million of them would fill the monitors' tables; the monitors' own
 * decoding is msgfuzz's. NS_KILL and NS_POWEROFF are refused to it anyway,
 * but a fuzzer has no business asking. */
static bool ns_excluded(uint16_t type)
{
    switch (type) {
    case NS_REGISTER:
    case NS_SPAWN:
    case NS_WATCH:
    case NS_KILL:
    case NS_POWEROFF:
    case NS_RAM:
    case NS_EXPORT:
    case NS_IMPORT:
        return true;
    default:
        return false;
    }
}

/* A random message in its IPC buffer, where SYS_LMP_SEND and SYS_LMP_CALL
 * take it from. */
static void ipc_message(struct fuzz_rng *r)
{
    msg_t *m = (msg_t *)IPC_BUFFER_VA;
    fuzz_fill(r, m, sizeof *m);
    do
        m->type =
            fuzz_below(r, 2) ? (uint16_t)(0x100 + fuzz_below(r, 0x20)) : (uint16_t)fuzz_next(r);
    while (ns_excluded(m->type));
    if (fuzz_below(r, 2))
        m->len = (uint8_t)fuzz_below(r, MSG_PAYLOAD_SIZE + 1);
}

static uint64_t pick_ns(struct fuzz_rng *r)
{
    static const uint64_t ns[] = {0, 1, 1000, 100000, 1000000, 3000000};
    return FUZZ_PICK(r, ns);
}

static uint64_t pick_flags(struct fuzz_rng *r)
{
    return fuzz_below(r, 2) ? fuzz_below(r, 4) : pick_number(r);
}

static bool is_kernel_call(uint64_t n)
{
    return n == SYS_KERNEL_MINT || n == SYS_KERNEL_START_CORE || n == SYS_KERNEL_WAKE ||
           (n >= SYS_KERNEL_SPAWN && n <= SYS_KERNEL_CONSOLE) || n == SYS_KERNEL_HELD ||
           n == SYS_KERNEL_IRQ || n == SYS_KERNEL_EXPORT || n == SYS_KERNEL_REVOKING ||
           n == SYS_KERNEL_BUS;
}

/* Fills c's arguments for its number; sets *p to the pointer argument that a
 * check looks at, if any. */
static void build(struct fuzz_rng *r, const struct world *w, struct call *c, struct uptr *p)
{
    uint64_t *a = c->a;
    for (unsigned i = 0; i < 6; i++)
        a[i] = pick_number(r);
    *p = pick_ptr(r, w, c->num == SYS_PRINT);
    switch (c->num) {
    case SYS_PRINT:
        a[0] = p->va, a[1] = pick_len(r);
        break;
    case SYS_SLEEP:
    case SYS_WAIT:
        a[0] = pick_ns(r);
        break;
    case SYS_CAP_IDENTIFY:
        a[0] = pick_slot(r, w), a[1] = p->va;
        break;
    case SYS_CAP_COPY:
        a[0] = pick_slot(r, w), a[1] = pick_dest_slot(r, w);
        a[2] = fuzz_below(r, 2) ? fuzz_below(r, 16) : pick_number(r);
        break;
    case SYS_CAP_RESTRICT: /* rights only go: its own keep theirs */
        a[0] = pick_doomed_slot(r, w);
        a[1] = fuzz_below(r, 2) ? fuzz_below(r, 32) : pick_number(r);
        break;
    case SYS_CAP_DELETE:
    case SYS_CAP_REVOKE:
        a[0] = c->num == SYS_CAP_REVOKE && fuzz_below(r, 4) == 0 ? w->ram : pick_doomed_slot(r, w);
        break;
    case SYS_CAP_RETYPE: {
        static const uint64_t bytes[] = {
            4096, 8192,      CNODE_BYTES,      0,          1,
            4097, RAM_BYTES, RAM_BYTES + 4096, 1ull << 30, ~0ull & ~0xfffull};
        a[0] = fuzz_below(r, 2) ? w->ram : pick_slot(r, w), a[1] = pick_dest_slot(r, w);
        a[2] = fuzz_below(r, 4) ? fuzz_below(r, CAP__COUNT + 2) : pick_number(r);
        a[3] = fuzz_below(r, 4) ? FUZZ_PICK(r, bytes) : pick_number(r);
        break;
    }
    case SYS_FRAME_MAP:
        a[0] = pick_slot(r, w), a[1] = pick_va(r, w), a[2] = fuzz_below(r, 3);
        break;
    case SYS_CMDLINE:
        a[0] = p->va, a[1] = pick_len(r);
        break;
    case SYS_EP_MINT:
        a[1] = pick_dest_slot(r, w);
        break;
    case SYS_LMP_SEND:
        ipc_message(r);
        a[0] = pick_slot(r, w), a[1] = pick_give(r, w), a[2] = pick_flags(r);
        break;
    case SYS_LMP_RECV: /* never waits: nothing would come */
        a[0] = pick_dest_slot(r, w), a[1] = fuzz_below(r, 2) ? LMP_ANY : pick_number(r);
        a[2] = pick_flags(r) | LMP_NONBLOCK;
        break;
    case SYS_LMP_CALL:
        ipc_message(r);
        a[0] = pick_slot(r, w), a[1] = pick_give(r, w), a[2] = pick_dest_slot(r, w);
        break;
    case SYS_LMP_REPLY:
        a[0] = pick_give(r, w);
        break;
    case SYS_LMP_REPLY_RECV:
        a[0] = pick_give(r, w), a[1] = pick_dest_slot(r, w);
        a[2] = fuzz_below(r, 2) ? LMP_ANY : pick_number(r), a[3] = pick_flags(r) | LMP_NONBLOCK;
        break;
    case SYS_LMP_NOTIFY:
        a[0] = pick_slot(r, w);
        break;
    case SYS_CHAN_WAKE:
    case SYS_IRQ_ACK:
        a[0] = pick_slot(r, w);
        break;
    case SYS_FRAME_COPY: {
        static const uint64_t offs[] = {0, 1, 4095, 4096, 8191, 8192, 1ull << 40, ~0ull};
        a[0] = pick_slot(r, w), a[1] = fuzz_below(r, 2) ? FUZZ_PICK(r, offs) : pick_number(r);
        a[2] = p->va, a[3] = pick_len(r), a[4] = fuzz_below(r, 2);
        break;
    }
    case SYS_IO_IN:
    case SYS_IO_OUT:
    case SYS_IRQ_BIND:
    case SYS_KLOG_BIND:
    case SYS_DEVFRAME_PART:
        a[0] = pick_slot(r, w), a[1] = fuzz_below(r, 2) ? pick_slot(r, w) : pick_number(r);
        break;
    case SYS_KLOG_READ:
        a[0] = pick_slot(r, w), a[1] = p->va, a[2] = pick_len(r);
        break;
    case SYS_CSPACE_ADD:
        a[0] = pick_slot(r, w), a[1] = fuzz_below(r, 2) ? fuzz_below(r, CSPACE_L1_SLOTS + 2) : a[1];
        break;
    case SYS_ALARM:
        if (fuzz_below(r, 2))
            a[0] = sys_now_ns() + pick_ns(r);
        break;
    default:
        if (is_kernel_call(c->num)) { /* its own slots, and pointers */
            a[0] = fuzz_below(r, 2) ? pick_slot(r, w) : a[0];
            a[2] = fuzz_below(r, 2) ? p->va : a[2];
            a[3] = fuzz_below(r, 2) ? pick_len(r) : a[3];
        }
        break;
    }
}

static bool bad(int64_t valid, uint64_t len) { return valid >= 0 && len > (uint64_t)valid; }

/* What must hold of the result of c, whatever its other arguments were. */
static const char *check(const struct world *w, const struct call *c, const struct uptr *p,
                         struct sys_result res)
{
    const uint64_t *a = c->a;
    if (res.err >= ERR__COUNT)
        return "a result that is not an err_t";
    if (c->num == 0 || c->num >= SYS__COUNT)
        return res.err == ERR_NOSYS ? NULL : "a number past the table was not ERR_NOSYS";
    if (is_kernel_call(c->num) && res.err == OK)
        return "a monitor's call succeeded without the kernel capability";
    if (c->num == SYS_MONITOR_UP && res.err != ERR_PERM)
        return "SYS_MONITOR_UP was not ERR_PERM";
    switch (c->num) {
    case SYS_PRINT:
        if (a[1] > SYS_PRINT_MAX)
            return res.err == ERR_INVAL ? NULL : "an overlong print was not ERR_INVAL";
        if (bad(p->readable, a[1]))
            return res.err == ERR_FAULT ? NULL : "a print from a bad pointer was not ERR_FAULT";
        return p->readable >= 0 && res.err != OK ? "a good print failed" : NULL;
    case SYS_CMDLINE:
        if (a[1] < w->cmdline_len + 1)
            return res.err == ERR_NOSPACE ? NULL
                                          : "a short command-line buffer was not ERR_NOSPACE";
        if (bad(p->writable, w->cmdline_len + 1))
            return res.err == ERR_FAULT ? NULL : "the command line went to a bad pointer";
        return p->writable >= 0 && res.err != OK ? "a good command-line read failed" : NULL;
    case SYS_CAP_IDENTIFY:
        return res.err == OK && bad(p->writable, sizeof(struct cap_info))
                   ? "cap_identify wrote through a bad pointer"
                   : NULL;
    case SYS_FRAME_COPY:
        if (res.err != OK)
            return NULL;
        if (a[3] > (1u << 20))
            return "a frame copy over its limit succeeded";
        return bad(a[4] ? p->readable : p->writable, a[3]) ? "a frame copy used a bad pointer"
                                                           : NULL;
    case SYS_KLOG_READ:
        return res.err == OK ? "klog_read succeeded without the log" : NULL;
    case SYS_LMP_CALL:
        return a[0] == w->ep && res.err == OK ? "a call to itself succeeded" : NULL;
    default:
        return NULL;
    }
}

const char *fuzz_one(struct fuzz_rng *r, struct world *w, uint64_t num, struct sys_result *res)
{
    struct call c = {.num = num};
    struct uptr p;
    build(r, w, &c, &p);
    *res = sys_call(c.num, c.a[0], c.a[1], c.a[2], c.a[3], c.a[4], c.a[5]);
    return check(w, &c, &p, *res);
}
