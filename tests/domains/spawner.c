/* spawner.c — asks its monitor to start "hello" on every core (its own and, by
 * way of the other monitors, the rest), waits until each has registered its
 * name, and checks that bad requests are refused. */
#include <chan.h>
#include <fmt.h>
#include <ns_calls.h>
#include <string.h>
#include <sys.h>

#include "probe.h"

static err_t spawn(unsigned core, const char *module, size_t len)
{
    struct ns_spawn q = {.core = core};
    struct ns_spawned got;
    memcpy(q.module, module, len);
    return ns_spawn(&q, &got, 0, 0);
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
