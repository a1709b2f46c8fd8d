/* ask.c — one question to another monitor at a time: send it, then serve the
 * other monitors (never this core's domains: one of them is owed a reply)
 * until the answer with the same sequence number comes, the question is
 * refused (MON_ERROR), or the deadline passes. Every asking payload and every
 * answer starts with a uint32_t seq. */
#include "monitor.h"

#include <sys.h>

#define ANSWER_TIMEOUT_NS 30000000000ull

static uint32_t next_seq;
static struct {
    bool waiting, answered;
    unsigned core;
    uint16_t asked, type; /* the question's type, and its answer's */
    uint32_t seq;
    err_t refused; /* OK, or why the asked monitor refused the question */
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
    q.core = core;
    q.asked = m->type;
    q.type = answer_type;
    q.seq = *seq_of(m);
    q.refused = OK;
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
    return q.refused;
}

/* Takes an answer: the handlers of the answers' rows. */
static err_t answered(unsigned src, const msg_t *m)
{
    uint32_t seq = *(const uint32_t *)(const void *)m->payload;
    if (q.waiting && !q.answered && q.core == src && q.type == m->type && q.seq == seq) {
        q.answer = *m;
        q.answered = true;
    } else {
        sys_printf("monitor %u: an answer (type %u, seq %u) from core %u that no one waits for\n",
                   mon.core, m->type, seq, src);
    }
    return OK;
}

void mon_ask_refused(unsigned src, uint16_t type, err_t err)
{
    if (q.waiting && !q.answered && q.core == src && q.asked == type) {
        q.answer = (msg_t){0};
        q.refused = err != OK ? err : ERR_INVAL;
        q.answered = true;
    }
}

err_t serve_mon_spawned(unsigned src, const msg_t *m) { return answered(src, m); }
err_t serve_mon_ram_lent(unsigned src, const msg_t *m) { return answered(src, m); }
err_t serve_mon_meminfo(unsigned src, const msg_t *m) { return answered(src, m); }
err_t serve_mon_imported(unsigned src, const msg_t *m) { return answered(src, m); }
err_t serve_mon_unimported(unsigned src, const msg_t *m) { return answered(src, m); }
err_t serve_mon_irq_done(unsigned src, const msg_t *m) { return answered(src, m); }
err_t serve_mon_found(unsigned src, const msg_t *m) { return answered(src, m); }
err_t serve_mon_stats(unsigned src, const msg_t *m) { return answered(src, m); }
