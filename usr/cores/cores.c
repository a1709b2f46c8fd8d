/* cores — one line per core: its monitor, and the processes PM placed there;
 * then what the monitor of the core it runs on keeps of the channel pages it
 * made (open, closing, free for reuse, reused so far). */
#include <ns_calls.h>
#include <procs.h>
#include <stdio.h>
#include <string.h>
#include <sys.h>

#define PROCS_SHOWN 256

int main(void)
{
    static struct pm_proc procs[PROCS_SHOWN];
    unsigned n = 0;
    while (n < PROCS_SHOWN && ps_entry(n, &procs[n]) == 0)
        n++;
    unsigned ncores = sys_core_count();
    for (unsigned c = 0; c < ncores; c++) {
        printf("core %u: monitor", c);
        for (unsigned i = 0; i < n; i++) {
            if (procs[i].core == c)
                printf(", %s (%d)", procs[i].name, (int)procs[i].pid);
        }
        printf("\n");
    }
    struct ns_channels c;
    if (ns_channels(NULL, &c, 0, 0) == OK)
        printf("monitor %u: channel pages: %u open, %u closing, %u free, %u reused\n",
               sys_core_id(), c.open, c.closing, c.free, c.reused);
    return 0;
}
