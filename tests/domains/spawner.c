/* spawner.c — asks its monitor to start "hello" on every core (its own and, by
 * way of the other monitors, the rest), waits until each has registered its
 * name, and checks that bad requests are refused. */
#include <chan.h>
#include <fmt.h>
#include <lmp.h>
#include <proto/ns.h>
#include <string.h>
#include <sys.h>

#include "probe.h"

static err_t spawn(unsigned core, const char *module, size_t len)
{
    msg_t m = MSG(NS_SPAWN), r;
    struct ns_spawn *s = msg_payload(&m, struct ns_spawn);
    s->core = core;
    memcpy(s->module, module, len);
    err_t err = lmp_call(CAP_SLOT_MONITOR, &m, &r, 0, 0);
    return err != OK ? err : (err_t)r.type;
}

int main(void)
{
    probe_name = "spawner";
    unsigned ncores = sys_core_count();
    unsigned started = 0, seen = 0;
    for (unsigned k = 0; k < ncores; k++)
        started += spawn(k, "hello", sizeof "hello") == OK;
    expect("hello started on every core", started == ncores ? OK : ERR_INVAL, OK);
    for (unsigned k = 0; k < ncores; k++) {
        char name[NS_NAME_MAX];
        fmt_format(name, sizeof name, "hello.%u", k);
        struct chan c;
        seen += chan_lookup_wait(name, &c, 30000000000ull) == OK;
    }
    expect("every hello is up", seen == ncores ? OK : ERR_INVAL, OK);
    expect("a module that is not in the archive", spawn(0, "nosuch", sizeof "nosuch"), ERR_NOENT);
    if (ncores > 1)
        expect("... nor on another core", spawn(1, "nosuch", sizeof "nosuch"), ERR_NOENT);
    expect("a core that does not exist", spawn(999, "hello", sizeof "hello"), ERR_INVAL);
    char unterminated[NS_MODULE_MAX];
    memset(unterminated, 'x', sizeof unterminated);
    expect("a module name without its terminator", spawn(0, unterminated, sizeof unterminated),
           ERR_INVAL);
    expect("the monitor itself cannot be spawned", spawn(0, "monitor", sizeof "monitor"),
           ERR_INVAL);
    return probe_done();
}
