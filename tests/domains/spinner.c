/* spinner.c — computes for a while without ever entering the kernel. Only the
 * timer can take the core from it, so other domains on its core run meanwhile
 * only if preemption works. */
#include <sys.h>

int main(void)
{
    volatile uint64_t x = 0;
    for (uint64_t i = 0; i < 400000000ull; i++)
        x += i;
    sys_printf("spinner: done (%llu)\n", (unsigned long long)x);
    return 0;
}
