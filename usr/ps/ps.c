/* ps — the process table: each process's id, parent, core and state. */
#include <errno.h>
#include <procs.h>
#include <stdio.h>
#include <string.h>

int main(void)
{
    struct pm_proc p;
    printf("  PID  PPID CORE STATE   NAME\n");
    unsigned i = 0;
    for (; ps_entry(i, &p) == 0; i++)
        printf("%5d %5d %4u %-7s %s\n", (int)p.pid, (int)p.ppid, (unsigned)p.core,
               p.state == PM_ZOMBIE ? "zombie" : "running", p.name);
    if (errno != ESRCH) {
        printf("ps: %s\n", strerror(errno));
        return 1;
    }
    return 0;
}
