/* lmp_server.c — an LMP echo server: registers "echo" with its monitor, then
 * answers calls (see lmp_echo.h) until told to quit. */
#include <lmp.h>
#include <ns_calls.h>
#include <slot_alloc.h>
#include <string.h>
#include <sys.h>
#include <va_layout.h>

#include "lmp_echo.h"

int main(void)
{
    capaddr_t ep, take; /* its own endpoint; where capabilities come in */
    uintptr_t frame_va; /* where a frame that came is read */
    if (slot_alloc(&ep) != OK || slot_alloc(&take) != OK || va_alloc(VA_PAGE, &frame_va) != OK ||
        ep_mint(77, ep) != OK)
        return 1;
    struct ns_name name = {.name = "echo"};
    err_t err = ns_register(&name, NULL, ep, 0);
    if (err != OK) {
        sys_printf("lmp_server: cannot register: %s\n", err_str(err));
        return 1;
    }
    msg_t m;
    uint64_t bits = 0;
    bool got_cap;
    err = lmp_recv(&m, take, LMP_ANY, 0, &got_cap);
    while (err == OK) {
        msg_t reply = {.type = OK};
        uint64_t v = 0;
        if (m.type == LMP_NOTIFY_TYPE) {
            memcpy(&v, m.payload, sizeof v);
            bits |= v;
            err = lmp_recv(&m, take, LMP_ANY, 0, &got_cap);
            continue;
        }
        switch (m.type) {
        case ECHO_PING:
            memcpy(&v, m.payload, sizeof v);
            v++;
            break;
        case ECHO_BITS:
            v = bits;
            break;
        case ECHO_FRAME:
            if (got_cap && frame_map(take, frame_va, 0) == OK)
                v = *(volatile uint64_t *)frame_va;
            break;
        case ECHO_QUIT:
            (void)lmp_reply(&reply, 0);
            return 0;
        default:
            reply.type = ERR_NOSYS;
        }
        memcpy(reply.payload, &v, sizeof v);
        err = lmp_reply_recv(&reply, &m, take, LMP_ANY, 0, &got_cap);
    }
    sys_printf("lmp_server: receive failed: %s\n", err_str(err));
    return 1;
}
