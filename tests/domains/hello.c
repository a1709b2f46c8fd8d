/* hello.c — a domain the spawn test starts on every core: it says where it runs
 * and registers "hello.K", so that whoever started it can tell it is up. */
#include <fmt.h>
#include <lmp.h>
#include <proto/ns.h>
#include <sys.h>

int main(void)
{
    unsigned core = sys_core_id();
    sys_printf("hello: running on core %u\n", core);
    msg_t m = {.type = NS_REGISTER}, r;
    fmt_format(msg_payload(&m, struct ns_name)->name, NS_NAME_MAX, "hello.%u", core);
    if (ep_mint(1, 10) != OK || lmp_call(CAP_SLOT_MONITOR, &m, &r, 10, 0) != OK)
        return 1;
    for (;;) /* stay, answering nothing */
        (void)lmp_recv(&m, 0, LMP_ANY, 0, NULL);
}
