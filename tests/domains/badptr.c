/* badptr — a process that writes through a bad pointer: PM must report it as
 * killed by SIGSEGV, and everything else must keep going. */
#include <stdint.h>
#include <sys.h>

int main(void)
{
    sys_printf("badptr: writing through a bad pointer\n");
    *(volatile uint64_t *)0xdead0000ul = 1; /* the bad store */
    sys_printf("badptr: FAIL: still running\n");
    return 0;
}
