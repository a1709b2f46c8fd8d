/* ask.c — a question to another monitor: send it, then serve the other
 * monitors (never this core's domains: one of them is owed a reply) until the
 * answer with the same sequence number comes, the question is refused
 * (MON_ERROR), or the deadline passes. Every asking payload and every answer
 * starts with a uint32_t seq.
 *
 * Questions nest: serving the other monitors while one waits may need a
 * second, such as RAM from monitor 0 to queue a message for a peer. Each
 * waits in its caller's frame on a stack of open questions; an answer finds
 * its own by sequence number, in whatever order they come. */
#include "monitor.h"

#include <sys.h>

#define ANSWER_TIMEOUT_NS 30000000000ull
/* How deep questions may nest: a chain of monitors each asking while it
 * serves another's question ends here instead of in a stack overflow. */
#define ASK_DEPTH_MAX 8

struct question {
    struct question *outer;
    bool answered;
    unsigned core;
    uint16_t asked, type; /* the question's type, and its answer's */
    uint32_t seq;
    err_t refused; /* OK, or why the asked monitor refused the question */
    msg_t answer;
};

static uint32_t next_seq;
static struct question *open_questions; /* the innermost first */
static unsigned depth;

static uint32_t *seq_of(msg_t *m) { return (uint32_t *)(void *)m->payload; }

err_t mon_ask(unsigned core, msg_t *m, uint16_t answer_type, msg_t *answer)
{
    if (depth == ASK_DEPTH_MAX)
        return ERR_BUSY;
    struct question q = {.outer = open_questions,
                         .core = core,
                         .asked = m->type,
                         .type = answer_type,
                         .seq = ++next_seq};
    *seq_of(m) = q.seq;
    open_questions = &q;
    depth++;
    mon_send(core, m);
    uint64_t deadline = sys_now_ns() + ANSWER_TIMEOUT_NS;
    while (!q.answered && sys_now_ns() < deadline) {
        if (mon_poll_peers() == 0)
            sys_yield();
    }
    open_questions = q.outer; /* the inner ones have returned: q is innermost */
    depth--;
    if (!q.answered)
        return ERR_DEAD; /* that monitor did not answer */
    *answer = q.answer;
    return q.refused;
}

/* Takes an answer: the handlers of the answers' rows. */
static err_t answered(unsigned src, const msg_t *m)
{
    uint32_t seq = *(const uint32_t *)(const void *)m->payload;
    for (struct question *q = open_questions; q != NULL; q = q->outer) {
        if (!q->answered && q->core == src && q->type == m->type && q->seq == seq) {
            q->answer = *m;
            q->answered = true;
            return OK;
        }
    }
    sys_printf("monitor %u: an answer (type %u, seq %u) from core %u that no one waits for\n",
               mon.core, m->type, seq, src);
    return OK;
}

void mon_ask_refused(unsigned src, uint16_t type, err_t err)
{
    /* A refusal names no sequence: it goes to the oldest question it fits,
     * as a peer serves questions in the order they came. */
    struct question *oldest = NULL;
    for (struct question *q = open_questions; q != NULL; q = q->outer) {
        if (!q->answered && q->core == src && q->asked == type)
            oldest = q;
    }
    if (oldest != NULL) {
        oldest->answer = (msg_t){0};
        oldest->refused = err != OK ? err : ERR_INVAL;
        oldest->answered = true;
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
