/* cores — one line per core: its monitor, and the processes PM placed there. */
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
    return 0;
}
