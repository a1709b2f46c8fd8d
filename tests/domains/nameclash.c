/* nameclash [ROUNDS] — the race for a name: each round, two children on two
 * different cores register the same name at the same moment (a time both are
 * given). Exactly one may win: it keeps the name until the parent ends it
 * (or exits 0 after HOLD_NS); the other must get ERR_EXIST and exit 1 at
 * once. So the first child to end must be the loser, and the other must then
 * still be there, holding the name. The pair of cores moves each round.
 *
 * nameclash child NAME AT_NS — one contender. */
#include <chan.h>
#include <procs.h>
#include <signal.h>
#include <slot_alloc.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys.h>
#include <sys/wait.h>
#include <unistd.h>

#define AHEAD_NS 20000000ull   /* when the contenders start: time to spawn both */
#define HOLD_NS  5000000000ull /* the winner keeps the name while the loser tries */

static int contend(const char *name, uint64_t at)
{
    capaddr_t ep;
    if (slot_alloc(&ep) != OK)
        return 2;
    while (sys_now_ns() < at)
        ;
    err_t err = chan_register(name, 1, ep);
    if (err == OK) {
        sys_sleep_ns(HOLD_NS);
        return 0;
    }
    if (err == ERR_EXIST)
        return 1;
    printf("nameclash: %s: %s\n", name, err_str(err));
    return 2;
}

int main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "child") == 0)
        return contend(argv[2], strtoull(argv[3], NULL, 10));
    int rounds = argc > 1 ? atoi(argv[1]) : 20, good = 0;
    unsigned ncores = sys_core_count();
    if (ncores < 2) {
        printf("nameclash: needs two cores\n");
        return 1;
    }
    for (int r = 0; r < rounds; r++) {
        char name[32], at[24];
        snprintf(name, sizeof name, "clash.%d", r);
        snprintf(at, sizeof at, "%llu", (unsigned long long)(sys_now_ns() + AHEAD_NS));
        char *args[] = {"nameclash", "child", name, at, NULL};
        unsigned a = (unsigned)r % ncores,
                 b = (a + 1 + (unsigned)r / ncores % (ncores - 1)) % ncores;
        if (spawn_on((int)a, "nameclash", args, NULL) < 0 ||
            spawn_on((int)b, "nameclash", args, NULL) < 0) {
            printf("nameclash: cannot spawn\n");
            return 1;
        }
        int status, held;
        pid_t first = wait(&status);
        bool lost = first > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 1;
        if (first < 0)
            return 1;
        /* The other one: ended now, it must still have been holding the name. */
        struct pm_proc p;
        pid_t other = 0;
        for (unsigned i = 0; ps_entry(i, &p) == 0; i++) {
            if (p.ppid == getpid() && p.pid != first && p.state == PM_RUNNING)
                other = p.pid;
        }
        if (other != 0)
            (void)kill(other, SIGTERM);
        if (wait(&held) < 0)
            return 1;
        bool won = other != 0 && WIFSIGNALED(held);
        if (lost && won)
            good++;
        else
            printf("nameclash: round %d (cores %u and %u): the first to end %s, the other %s\n", r,
                   a, b, lost ? "lost" : "did not lose", won ? "held the name" : "did not");
    }
    printf("nameclash: %d of %d rounds had exactly one winner\n", good, rounds);
    return good == rounds ? 0 : 1;
}
