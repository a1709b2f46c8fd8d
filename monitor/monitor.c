/* monitor.c — the per-core user-mode monitor. For now it announces itself,
 * tells its CPU driver it is ready, and sleeps; spawning, channels and the name
 * service come with the channels work. */
#include <sys.h>

int main(void)
{
    sys_printf("monitor %u: up\n", sys_core_id());
    if (sys_monitor_up() != OK)
        sys_printf("monitor %u: the CPU driver refused the ready report\n", sys_core_id());
    for (;;)
        sys_sleep_ns(1000000000ull);
}
