/* ask.c — one question to another monitor at a time: send it, then serve the
 * other monitors (never this core's domains: one of them is owed a reply)
 * until the answer with the same sequence number comes or the deadline
 * passes. Every asking payload and every answer starts with a uint32_t seq. */
#include "monitor.h"

#include <proto/monitor.h>
#include <sys.h>

#define ANSWER_TIMEOUT_NS 30000000000ull

static uint32_t next_seq;
static struct {
    bool waiting, answered;
    uint16_t type; /* the answer's */
    uint32_t seq;
    msg_t answer;
} q;

static uint32_t *seq_of(msg_t *m) { return (uint32_t *)(void *)m->payload; }

err_t mon_ask(unsigned core, msg_t *m, uint16_t answer_type, msg_t *answer)
{
    if (q.waiting)
        return ERR_BUSY; /* a question asked while serving the other monitors */
    *seq_of(m) = ++next_seq;
    q.waiting = true;
    q.answered = false;
    q.type = answer_type;
    q.seq = *seq_of(m);
    mon_send(core, m);
    uint64_t deadline = sys_now_ns() + ANSWER_TIMEOUT_NS;
    while (!q.answered && sys_now_ns() < deadline) {
        if (mon_poll_peers() == 0)
            sys_yield();
    }
    q.waiting = false;
    if (!q.answered)
        return ERR_DEAD; /* that monitor did not answer */
    *answer = q.answer;
    return OK;
}

bool mon_ask_answered(unsigned src, const msg_t *m)
{
    if (m->type != MON_SPAWNED && m->type != MON_IRQ_DONE && m->type != MON_RAM_LENT &&
        m->type != MON_MEMINFO && m->type != MON_IMPORTED && m->type != MON_UNIMPORTED)
        return false;
    uint32_t seq = *(const uint32_t *)(const void *)m->payload;
    if (q.waiting && m->type == q.type && seq == q.seq) {
        q.answer = *m;
        q.answered = true;
    } else {
        sys_printf("monitor %u: an answer (type %u, seq %u) from core %u that no one waits for\n",
                   mon.core, m->type, seq, src);
    }
    return true;
}
