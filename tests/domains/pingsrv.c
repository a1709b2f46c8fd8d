/* pingsrv.c — registers "ping.K" on core K and answers every ping with its
 * own core, over LMP for clients on its core and UMP for the others. It exits
 * once every core's client has had all its answers; "pingsrv forever" serves
 * until it is killed or crashed (crash_probe). The whole server is a handler
 * and a table (server.h); docs/protocols.md walks through it. */
#include <fmt.h>
#include <server.h>
#include <string.h>
#include <sys.h>

#include "ping_proto.h"

static unsigned served;

static int serve_ping(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r)
{
    (void)s, (void)c;
    struct ping *answer = msg_payload(r, struct ping);
    *answer = *msg_payload_const(m, struct ping);
    answer->core = sys_core_id();
    answer->served = ++served;
    return OK;
}

static const struct srv_op ops[] = {SRV_OPS(PING_MESSAGES)};

int main(int argc, char **argv)
{
    bool forever = argc > 1 && strcmp(argv[1], "forever") == 0;
    char name[NS_NAME_MAX];
    fmt_format(name, sizeof name, "ping.%u", sys_core_id());
    struct srv ping_server = {.name = name, SRV_TABLE(ops)};
    err_t err = srv_start(&ping_server);
    if (err != OK) {
        sys_printf("pingsrv %u: cannot register: %s\n", sys_core_id(), err_str(err));
        return 1;
    }
    while (forever || served < sys_core_count() * PINGS)
        srv_serve_one(&ping_server);
    return 0;
}
