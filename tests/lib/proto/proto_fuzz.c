/* proto_fuzz.c — libFuzzer target: any message, checked against the rules of
 * every protocol as a server's skeleton or a monitor checks it (proto_find
 * and each row's field check), is refused or accepted consistently, and no
 * check reads outside the message. The first bytes choose the protocol.
 * Run: build/host-fuzz/tests/lib/proto/proto_fuzz -max_total_time=60 */
#include <proto.h>
#include <proto/blk.h>
#include <proto/bus.h>
#include <proto/console.h>
#include <proto/monitor.h>
#include <proto/ns.h>
#include <proto/pm.h>
#include <proto/rs.h>
#include <proto/srv.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct proto_rule pm[] = {PM_MESSAGES(PROTO_RULE_ROW) SRV_MESSAGES(PROTO_RULE_ROW)};
static const struct proto_rule rs[] = {RS_MESSAGES(PROTO_RULE_ROW) SRV_MESSAGES(PROTO_RULE_ROW)};
static const struct proto_rule cons[] = {CONS_MESSAGES(PROTO_RULE_ROW)};
static const struct proto_rule bus[] = {BUS_MESSAGES(PROTO_RULE_ROW)};
static const struct proto_rule blk[] = {BLK_MESSAGES(PROTO_RULE_ROW)};
static const struct proto_rule ns[] = {NS_MESSAGES(PROTO_RULE_ROW)};
static const struct proto_rule mon[] = {MON_MESSAGES(PROTO_RULE_ROW)};

static const struct {
    const struct proto_rule *rules;
    unsigned n;
} protocols[] = {
#define P(t)                                                                                       \
    {                                                                                              \
        (t), sizeof(t) / sizeof(t)[0]                                                              \
    }
    P(pm), P(rs), P(cons), P(bus), P(blk), P(ns), P(mon),
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const struct proto_rule *rules = protocols[data[0] % 7].rules;
    unsigned n = protocols[data[0] % 7].n;
    /* The message on the heap, exactly its size: ASan sees any read past it. */
    msg_t *m = aligned_alloc(_Alignof(msg_t), sizeof *m);
    memset(m, 0, sizeof *m);
    memcpy(m, data + 1, size - 1 < sizeof *m ? size - 1 : sizeof *m);
    const struct proto_rule *found;
    err_t err = proto_find(rules, sizeof *rules, n, m, &found);
    bool known = false;
    for (unsigned i = 0; i < n; i++)
        known |= rules[i].type == m->type;
    if ((err == ERR_NOSYS) != !known || (known && (found == NULL || found->type != m->type)))
        abort();
    if (err == OK && (m->len < found->req_bytes || m->len > MSG_PAYLOAD_SIZE))
        abort();
    if (err != OK && err != ERR_NOSYS && err != ERR_TRUNCATED && err != ERR_INVAL)
        abort();
    free(m);
    return 0;
}
