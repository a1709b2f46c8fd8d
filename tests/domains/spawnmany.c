/* spawnmany [N [PROGRAM [ARG]]] — starts N (100) processes of PROGRAM (true)
 * round-robin over every core, at most 16 at a time, with ARG (if given) and
 * its number as the arguments; waits for all, and checks each one's status and that PM's table
 * holds no child of this process afterwards. */
#include <errno.h>
#include <procs.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys.h>
#include <sys/wait.h>
#include <unistd.h>

#define IN_FLIGHT 16

int main(int argc, char **argv)
{
    int total = argc > 1 ? atoi(argv[1]) : 100, started = 0, reaped = 0, bad = 0;
    char *prog = argc > 2 ? argv[2] : "true";
    unsigned ncores = sys_core_count();
    while (reaped < total) {
        while (started < total && started - reaped < IN_FLIGHT) {
            char arg[16];
            snprintf(arg, sizeof arg, "%d", started);
            char *args[] = {prog, argc > 3 ? argv[3] : arg, arg, NULL};
            if (argc <= 3)
                args[2] = NULL;
            pid_t pid = spawn_on((int)(started % ncores), prog, args, NULL);
            if (pid < 0) {
                printf("spawnmany: FAIL: spawn %d: %s\n", started, strerror(errno));
                return 1;
            }
            started++;
        }
        int status;
        pid_t pid = wait(&status);
        if (pid < 0) {
            printf("spawnmany: FAIL: wait: %s\n", strerror(errno));
            return 1;
        }
        bad += !WIFEXITED(status) || WEXITSTATUS(status) != 0;
        reaped++;
    }
    int children = 0, procs = 0;
    struct pm_proc p;
    pid_t me = getpid();
    for (unsigned i = 0; ps_entry(i, &p) == 0; i++) {
        procs++;
        children += p.ppid == me;
    }
    int status;
    bool none_left = wait(&status) < 0 && errno == ECHILD;
    printf("spawnmany: %d spawned on %u cores, %d reaped, %d failed, %d children left, "
           "%d processes in the table, wait says %s\n",
           started, ncores, reaped, bad, children, procs, none_left ? "no children" : "FAIL");
    return bad == 0 && children == 0 && none_left ? 0 : 1;
}
