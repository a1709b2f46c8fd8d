/* mutate.c — one hostile message: a random type in the protocol's range or
 * anywhere, a random length (past the 56 payload bytes too) and payload, or
 * a valid request with its fields pushed off by one, to their limits, or its
 * strings left without their NUL.
 *
 * msgfuzz runs with the rights of any user program, so some requests that
 * are well formed and permitted would do real harm; they are left out or
 * made harmless here:
 * - RS_RESTART, RS_STOP, RS_START, RS_FAULT, RS_UP (0x402-0x406): a user may
 *   order RS about (the service utility does); they become RS_STATUS/RS_DEATH.
 * - PM_INTERRUPT: Ctrl-C for the console's foreground process (msgfuzz or
 *   its shell); left out. PM_KILL of msgfuzz's own pid: made signal 0 (it
 *   has no descendants, and others are refused, so it stays).
 * - PM_SPAWN and NS_SPAWN: the module's name starts with '#', which no
 *   program has: what is checked is checked, and nothing starts.
 * - CONS_READ: waits for a line of input, the shell's; left out. CONS_WRITE:
 *   its inline bytes are letters, so that what it prints is readable.
 * - BLK_WRITE: would write the disk; left out. NETDEV_SEND: would put
 *   frames on the network (the device's owner, NET, has it anyway); left out.
 * - NET_PING and NET_POLL: their timeouts are cut to at most a second,
 *   below the answer's deadline here. NET_ACCEPT, NET_CONNECT, NET_SEND and
 *   NET_RECV get NET_NONBLOCK: a call that waits for a peer is answered when
 *   the peer comes, which here it never does.
 * - NS_POWEROFF and NS_KILL: refused to it anyway (only init and PM), but a
 *   fuzzer has no business asking; left out. NS_RAM: at most 64 KiB, which
 *   its monitor keeps for it until it ends.
 * SRV_FAULT stays: the skeleton obeys it only from the server's parent. */
#include <proto/blk.h>
#include <proto/console.h>
#include <proto/net.h>
#include <proto/netdev.h>
#include <proto/ns.h>
#include <proto/pm.h>
#include <proto/rs.h>
#include <string.h>

#include "msgfuzz.h"

static const uint64_t edges[] = {0,          1,          2,          0x7f,       0x80,
                                 0xff,       0x100,      0xffff,     0x10000,    0x7fffffff,
                                 0x80000000, 0xffffffff, 1ull << 32, 1ull << 63, ~0ull};

/* Changes a few things of a valid request. */
static void mutate(struct fuzz_rng *r, msg_t *m)
{
    unsigned n = 1 + (unsigned)fuzz_below(r, 3);
    for (unsigned i = 0; i < n; i++) {
        unsigned at = (unsigned)fuzz_below(r, MSG_PAYLOAD_SIZE);
        switch (fuzz_below(r, 8)) {
        case 0:
            m->payload[at] ^= (uint8_t)(1u << fuzz_below(r, 8));
            break;
        case 1:
            m->payload[at] = (uint8_t)fuzz_next(r);
            break;
        case 2: { /* a 32-bit field off by one, or at an edge */
            uint32_t v;
            at &= ~3u;
            memcpy(&v, m->payload + at, 4);
            v = fuzz_below(r, 2) ? v + (fuzz_below(r, 2) ? 1 : -1) : (uint32_t)FUZZ_PICK(r, edges);
            memcpy(m->payload + at, &v, 4);
            break;
        }
        case 3: { /* a 64-bit one */
            uint64_t v = FUZZ_PICK(r, edges);
            at &= ~7u;
            memcpy(m->payload + at, &v, 8);
            break;
        }
        case 4: /* strings without their NUL */
            memset(m->payload + at, 'A', MSG_PAYLOAD_SIZE - at);
            break;
        case 5: /* one byte short or long, or nothing */
            m->len = fuzz_below(r, 2) ? (uint8_t)(m->len + (fuzz_below(r, 2) ? 1 : -1)) : 0;
            break;
        case 6: /* past the payload */
            m->len = (uint8_t)(MSG_PAYLOAD_SIZE + 1 + fuzz_below(r, 200));
            break;
        default: /* a type next to it */
            m->type = (uint16_t)(m->type + (fuzz_below(r, 2) ? 1 : -1));
            break;
        }
    }
}

/* A valid-looking request of one of t's types. */
static void valid(struct fuzz_rng *r, const struct target *t, msg_t *m)
{
    const struct row *row = &t->rows[fuzz_below(r, t->nrows)];
    memset(m, 0, sizeof *m);
    m->type = row->type;
    m->len = row->len;
    /* Small numbers in every field (indexes, pids, cores), and a name. */
    for (unsigned i = 0; i + 4 <= MSG_PAYLOAD_SIZE; i += 4) {
        uint32_t v = (uint32_t)fuzz_below(r, 8);
        memcpy(m->payload + i, &v, 4);
    }
    static const char *names[] = {"pm", "rs", "console", "pci", "disk0", "serial", "sh"};
    if (fuzz_below(r, 2)) {
        const char *name = FUZZ_PICK(r, names);
        unsigned at = fuzz_below(r, 2) ? 0 : 8;
        memcpy(m->payload + at, name, strlen(name) + 1);
    }
}

/* Makes m harmless if it is one of the requests msgfuzz must not make
 * (above); false if it is to be left out. */
static bool neutralise(const struct target *t, int32_t own_pid, msg_t *m)
{
    if (t->name == NULL) { /* the monitor */
        if (m->type == NS_POWEROFF || m->type == NS_KILL)
            return false;
        if (m->type == NS_SPAWN)
            msg_payload(m, struct ns_spawn)->module[0] = '#';
        if (m->type == NS_RAM)
            msg_payload(m, struct ns_ram)->bytes &= 0xffff;
        return true;
    }
    switch (t->base) {
    case 0x200:
        if (m->type == PM_INTERRUPT)
            return false;
        if (m->type == PM_SPAWN)
            msg_payload(m, struct pm_spawn)->module[0] = '#';
        if (m->type == PM_KILL && msg_payload(m, struct pm_kill)->pid == own_pid)
            msg_payload(m, struct pm_kill)->signal = 0;
        return true;
    case 0x400:
        if (m->type >= RS_RESTART && m->type <= RS_UP)
            m->type = RS_STATUS + (m->type & 1);
        return true;
    case 0x300:
        if (m->type == CONS_READ)
            return false;
        if (m->type == CONS_WRITE) {
            char *data = msg_payload(m, struct cons_write)->data;
            for (unsigned i = 0; i < CONS_INLINE_MAX; i++)
                data[i] = (char)('a' + (uint8_t)data[i] % 26);
        }
        return true;
    case 0xa00:
        return m->type != BLK_WRITE;
    case 0xb00:
        return m->type != NETDEV_SEND;
    case 0xc00:
        if (m->type == NET_PING)
            msg_payload(m, struct net_ping)->timeout_ms %= 1001;
        if (m->type == NET_ACCEPT)
            msg_payload(m, struct net_sock)->arg |= NET_NONBLOCK;
        if (m->type == NET_CONNECT)
            msg_payload(m, struct net_endpoint)->flags |= NET_NONBLOCK;
        if (m->type == NET_SEND || m->type == NET_RECV)
            msg_payload(m, struct net_io)->flags |= NET_NONBLOCK;
        if (m->type == NET_POLL) {
            int32_t *timeout = &msg_payload(m, struct net_poll)->timeout_ms;
            *timeout = *timeout < 0 ? 1000 : *timeout % 1001;
        }
        return true;
    default:
        return true;
    }
}

void make_message(struct fuzz_rng *r, const struct target *t, int32_t own_pid, msg_t *m)
{
    do {
        switch (fuzz_below(r, 8)) {
        case 0: /* anything at all */
            fuzz_fill(r, m, sizeof *m);
            break;
        case 1:
        case 2: /* a type of its range, or of the skeleton's, with random bytes */
            fuzz_fill(r, m, sizeof *m);
            m->type = (uint16_t)((fuzz_below(r, 4) ? t->base : 0x0f00) + fuzz_below(r, 0x20));
            if (fuzz_below(r, 2))
                m->len = (uint8_t)fuzz_below(r, MSG_PAYLOAD_SIZE + 1);
            break;
        default:
            valid(r, t, m);
            mutate(r, m);
        }
        m->ctrl = 0;
        m->source = 0;
    } while (!neutralise(t, own_pid, m));
}
