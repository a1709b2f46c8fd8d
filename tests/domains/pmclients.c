/* pmclients [N] — N (80) processes talk to PM at the same time: each asks
 * for its pid (a channel to PM of its own), stays a while, and exits 0 if PM
 * answered. The parent starts them all before waiting for any and says how
 * many succeeded. PM's table of clients once held 48. */
#include <errno.h>
#include <procs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "child") == 0) {
        pid_t me = getpid();
        sys_sleep_ns(2000000000ull); /* all of them are PM's clients at once */
        return me > 0 && getppid() > 0 ? 0 : 1;
    }
    int n = argc > 1 ? atoi(argv[1]) : 80, ok = 0;
    unsigned cores = sys_core_count();
    for (int i = 0; i < n; i++) {
        char *args[] = {"pmclients", "child", NULL};
        if (spawn_on(i % (int)cores, "pmclients", args, NULL) < 0) {
            printf("pmclients: spawn %d: %s\n", i, strerror(errno));
            return 1;
        }
    }
    for (int i = 0; i < n; i++) {
        int status;
        if (wait(&status) > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0)
            ok++;
    }
    printf("pmclients: %d of %d processes talked to PM at once\n", ok, n);
    return ok == n ? 0 : 1;
}
