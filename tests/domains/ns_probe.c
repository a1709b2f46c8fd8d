/* ns_probe.c — bad requests to this core's monitor get error answers, and the
 * monitor goes on serving: each request of NS_MESSAGES too short for its
 * row, longer than a message, with its fields out of range (every byte 0xff:
 * no name ends), and types that are no request. Then good requests still get
 * their answers. */
#include <fmt.h>
#include <lmp.h>
#include <ns_calls.h>
#include <slot_alloc.h>
#include <string.h>
#include <sys.h>

#include "probe.h"

#define PROBE_RULE_ROW(T, v, n, Rq, Rp, f, ok) PROTO_RULE(T, v, n, Rq, Rp, f, ok),
static const struct proto_rule rules[] = {NS_MESSAGES(PROBE_RULE_ROW)};

/* The monitor's answer to a request of type with len bytes, each of them fill. */
static err_t ask(uint16_t type, unsigned len, uint8_t fill)
{
    msg_t m = {.type = type, .len = (uint8_t)len}, r;
    memset(m.payload, fill, sizeof m.payload);
    err_t err = lmp_call(CAP_SLOT_MONITOR, &m, &r, 0, 0);
    return err != OK ? err : proto_reply_err(&r);
}

int main(void)
{
    probe_name = "ns_probe";
    char what[80];
    for (unsigned i = 0; i < sizeof rules / sizeof rules[0]; i++) {
        const struct proto_rule *r = &rules[i];
        if (r->req_bytes > 0) {
            fmt_format(what, sizeof what, "%s one byte short", r->name);
            expect(what, ask(r->type, r->req_bytes - 1u, 0), ERR_TRUNCATED);
        }
        fmt_format(what, sizeof what, "%s longer than a message", r->name);
        expect(what, ask(r->type, MSG_PAYLOAD_SIZE + 1, 0), ERR_TRUNCATED);
        if (r->check != NULL) {
            fmt_format(what, sizeof what, "%s with its fields out of range", r->name);
            expect(what, ask(r->type, r->req_bytes, 0xff), ERR_INVAL);
        }
    }
    expect("a type that is no request", ask(0x1ff, MSG_PAYLOAD_SIZE, 0), ERR_NOSYS);
    expect("a notice is no request", ask(NS_CONNECTED, NS_CONNECTED_LEN, 0), ERR_NOSYS);
    expect("type 0", ask(0, 0, 0), ERR_NOSYS);

    /* The monitor goes on. */
    struct ns_channels pages;
    expect("the monitor still answers", ns_channels(NULL, &pages, 0, 0), OK);
    capaddr_t ep = 0, slot = 0;
    struct ns_found found;
    struct ns_name name = {.flags = 0};
    fmt_format(name.name, sizeof name.name, "ns_probe.%u", sys_core_id());
    err_t err = slot_alloc(&ep) == OK && slot_alloc(&slot) == OK ? OK : ERR_NOSPACE;
    expect("make an endpoint", err == OK ? ep_mint(1, ep) : err, OK);
    expect("register a name", ns_register(&name, NULL, ep, 0), OK);
    expect("look it up", ns_lookup(&name, &found, 0, slot), OK);
    expect("it is here", found.kind == NS_LOCAL ? OK : ERR_INVAL, OK);
    /* Only PM may watch a core's deaths (and so kill with NS_KILL): not the
     * first domain to ask, here where no PM runs. */
    expect("a domain that is not PM may not watch", ns_watch(NULL, NULL, ep, 0), ERR_PERM);
    return probe_done();
}
