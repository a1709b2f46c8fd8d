/* pingcli.c — on core J, finds "ping.K" for every core K through the name
 * service and sends it PINGS numbered pings, each answered in order: over LMP
 * to its own core, over UMP to the others. */
#include <fmt.h>
#include <proto/ns.h>
#include <proto_chan.h>
#include <string.h>
#include <sys.h>

#include "ping_proto.h"

PROTO_CHAN_CALLS(PING_MESSAGES)

int main(void)
{
    unsigned core = sys_core_id(), ncores = sys_core_count();
    unsigned ok_servers = 0, local = 0, remote = 0;
    for (unsigned k = 0; k < ncores; k++) {
        char name[NS_NAME_MAX];
        fmt_format(name, sizeof name, "ping.%u", k);
        struct chan c;
        err_t err = chan_lookup_wait(name, &c, 30000000000ull);
        if (err != OK) {
            sys_printf("pingcli %u: cannot find %s: %s\n", core, name, err_str(err));
            continue;
        }
        unsigned good = 0;
        for (uint64_t seq = 0; seq < PINGS; seq++) {
            struct ping answer;
            err = ping(&c, &(struct ping){.seq = seq, .core = core}, &answer);
            good += err == OK && answer.seq == seq && answer.core == k;
        }
        if (good == PINGS)
            ok_servers++;
        else
            sys_printf("pingcli %u: %s answered %u of %u pings right\n", core, name, good, PINGS);
        if (c.kind == NS_LOCAL)
            local++;
        else
            remote++;
    }
    sys_printf(
        "pingcli %u: %u/%u servers answered %u pings each, in order (%u by LMP, %u by UMP)\n", core,
        ok_servers, ncores, PINGS, local, remote);
    return ok_servers == ncores ? 0 : 1;
}
