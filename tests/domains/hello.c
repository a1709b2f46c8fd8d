/* hello.c — a domain the spawn test starts on every core: it says where it runs
 * and registers "hello.K", so that whoever started it can tell it is up. */
#include <chan.h>
#include <fmt.h>
#include <lmp.h>
#include <proto/ns.h>
#include <sys.h>

int main(void)
{
    unsigned core = sys_core_id();
    sys_printf("hello: running on core %u\n", core);
    char name[NS_NAME_MAX];
    fmt_format(name, sizeof name, "hello.%u", core);
    if (chan_register(name, 1, 10) != OK)
        return 1;
    msg_t m;
    for (;;) /* stay, answering nothing */
        (void)lmp_recv(&m, 0, LMP_ANY, 0, NULL);
}
