/* harness.c — the server skeleton's side, for a server's handlers under
 * libFuzzer (harness.h): its clients and their grants, its dispatch, and
 * the answers given later. */
#include "harness.h"

#include <proto/pm.h>
#include <stdlib.h>
#include <string.h>

static struct srv_client *clients[FUZZ_CLIENTS];
static uint8_t *grants[FUZZ_CLIENTS];
#define KEPT 8
/* Each client's last OK answers given at once, the latest at [i][seen[i] % KEPT]. */
static msg_t answers[FUZZ_CLIENTS][KEPT];
static unsigned seen[FUZZ_CLIENTS];
#define RECORD (2 + sizeof(msg_t))
static struct srv *current;
static unsigned later;

static bool is_client(const struct srv_client *c)
{
    for (unsigned i = 0; i < FUZZ_CLIENTS; i++)
        if (c != NULL && c == clients[i])
            return true;
    return false;
}

static void check_answer(const msg_t *r)
{
    /* An err_t, and a length that fits the payload. */
    if (r->type >= ERR__COUNT || r->len > MSG_PAYLOAD_SIZE)
        abort();
}

void srv_answer(struct srv *s, struct srv_client *c, const msg_t *r)
{
    if (s != current || !is_client(c) || !c->used)
        abort(); /* an answer to no client of this server */
    check_answer(r);
    later++;
}

void srv_cut_off(struct srv *s, struct srv_client *c)
{
    if (s != current || !is_client(c))
        abort();
    if (s->left != NULL && c->used)
        s->left(s, c);
    c->used = false;
}

unsigned srv_clients(const struct srv *s)
{
    (void)s;
    return FUZZ_CLIENTS;
}

struct srv_client *srv_client_at(const struct srv *s, unsigned i)
{
    (void)s;
    return i < FUZZ_CLIENTS && clients[i] != NULL && clients[i]->used ? clients[i] : NULL;
}

static int index_of(const struct srv_client *c)
{
    for (int i = 0; i < FUZZ_CLIENTS; i++)
        if (c == clients[i])
            return i;
    abort(); /* a copy for a client that is not one */
}

err_t srv_grant_read(const struct srv_client *c, uint64_t offset, void *buf, uint64_t bytes)
{
    err_t err = srv_grant_span(c, offset, bytes);
    if (err == OK)
        memcpy(buf, grants[index_of(c)] + offset, bytes);
    return err;
}

err_t srv_grant_write(const struct srv_client *c, uint64_t offset, const void *buf, uint64_t bytes)
{
    err_t err = srv_grant_span(c, offset, bytes);
    if (err == OK)
        memcpy(grants[index_of(c)] + offset, buf, bytes);
    return err;
}

err_t srv_pm_who(const struct srv *s, unsigned core, uint32_t domain, struct pm_proc *out)
{
    (void)s, (void)core, (void)domain, (void)out;
    return ERR_NOPROC; /* PM knows no one here: every process has ended */
}

err_t srv_upstream_add(struct srv *s, struct srv_upstream *u)
{
    (void)s, (void)u;
    return ERR_NOMEM;
}

void srv_upstream_remove(struct srv *s, struct srv_upstream *u) { (void)s, (void)u; }

err_t srv_start(struct srv *s)
{
    (void)s;
    return ERR_NOSYS;
}

void srv_run(struct srv *s)
{
    (void)s;
    abort(); /* the harness serves, not the server's loop */
}

static void take_clients(struct srv *s)
{
    for (unsigned i = 0; i < FUZZ_CLIENTS; i++) {
        if (clients[i] == NULL) {
            /* Entries as the skeleton's table keeps them: the state right
             * after, cache-line aligned. */
            size_t bytes = (sizeof(struct srv_client) + s->state_bytes + 63) / 64 * 64;
            clients[i] = aligned_alloc(64, bytes);
            grants[i] = malloc(FUZZ_GRANT_BYTES);
        }
        memset(clients[i], 0, sizeof *clients[i] + s->state_bytes);
        memset(grants[i], 0, FUZZ_GRANT_BYTES);
        clients[i]->used = true;
        clients[i]->gen = ++s->gens;
        clients[i]->chan.peer_core = i;
        clients[i]->chan.peer_domain = 100 + i;
        /* As large as the server takes (the skeleton refuses larger). */
        uint64_t most = s->grant_max != 0 ? s->grant_max : SRV_GRANT_DEFAULT;
        if (i != FUZZ_NO_GRANT)
            clients[i]->grant = (struct srv_grant){
                .cap = 1000 + i, .bytes = most < FUZZ_GRANT_BYTES ? most : FUZZ_GRANT_BYTES};
    }
}

/* As lib/server/server.c's dispatch; an OK answer is kept for client i. */
static void dispatch(struct srv *s, unsigned i, const msg_t *m)
{
    struct srv_client *c = clients[i];
    c->last_seen = ++s->seq;
    msg_t in = *m, r = {.type = OK};
    const struct proto_rule *rule;
    int result = proto_find(s->ops, sizeof *s->ops, s->nops, &in, &rule);
    if (result == OK) {
        memset(in.payload + in.len, 0, MSG_PAYLOAD_SIZE - in.len);
        result = ((const struct srv_op *)rule)->fn(s, c, &in, &r);
    }
    if (result == SRV_LATER)
        return;
    if (result < 0 || result >= ERR__COUNT)
        abort(); /* a handler's answer must be an err_t */
    r.type = (uint16_t)result;
    r.len = result == OK ? rule->rep_bytes : 0;
    check_answer(&r);
    if (result == OK)
        answers[i][++seen[i] % KEPT] = r;
}

void fuzz_serve_input(const struct fuzz_server *f, const uint8_t *data, size_t size)
{
    struct srv *s = f->srv;
    current = s;
    later = 0;
    take_clients(s);
    memset(answers, 0, sizeof answers);
    memset(seen, 0, sizeof seen);
    size_t n = size >= 2 ? (size_t)(data[0] | data[1] << 8) : 0;
    data += size >= 2 ? 2 : size;
    size -= size >= 2 ? 2 : size;
    n = n < size ? n : size;
    for (unsigned i = 0; i < FUZZ_CLIENTS; i++)
        memcpy(grants[i], data, n < FUZZ_GRANT_BYTES ? n : FUZZ_GRANT_BYTES);
    data += n;
    size -= n;
    for (; size >= RECORD; data += RECORD, size -= RECORD) {
        unsigned who = data[0], from = data[1], i = who % FUZZ_CLIENTS, to = (who >> 3) & 7;
        if (!clients[i]->used)
            continue; /* cut off: its requests no longer come */
        msg_t m;
        memcpy(&m, data + 2, sizeof m);
        if ((who & 4) && to < MSG_PAYLOAD_SIZE / 8) {
            const msg_t *a = &answers[i][(seen[i] - (from & 7)) % KEPT];
            memcpy(m.payload + 8 * to, a->payload + 8 * ((from >> 3) & 3), 8);
        }
        if (m.type == FUZZ_EVENT && f->event != NULL)
            f->event(&m);
        else
            dispatch(s, i, &m);
        if (f->after_each != NULL)
            f->after_each();
    }
    for (unsigned i = 0; i < FUZZ_CLIENTS; i++) {
        if (clients[i]->used && s->left != NULL)
            s->left(s, clients[i]);
        clients[i]->used = false;
        if (s->ended != NULL)
            s->ended(s, i, 100 + i);
    }
    if (f->after_each != NULL)
        f->after_each();
}

unsigned fuzz_answers_later(void) { return later; }
