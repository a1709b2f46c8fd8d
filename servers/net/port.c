/* port.c — what lwIP asks of the system under NO_SYS: a millisecond clock
 * for its timers, and random numbers (DHCP transaction ids, TCP's initial
 * sequence numbers, local ports). Not cryptographic: nothing here needs to
 * resist an attacker who sees the traffic. */
#include "net.h"

#include <sys.h>

u32_t sys_now(void) { return (u32_t)(sys_now_ns() / 1000000u); }

uint32_t net_random(void)
{
    static uint64_t x;
    if (x == 0)
        x = sys_now_ns() ^ ((uint64_t)sys_core_id() << 48) ^ 0x9e3779b97f4a7c15ull;
    x ^= x << 13, x ^= x >> 7, x ^= x << 17; /* xorshift64 */
    return (uint32_t)(x >> 16);
}
