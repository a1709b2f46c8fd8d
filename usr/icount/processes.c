/* processes.c — what tools/bench icount counts of processes (ops.h): a call
 * to PM, and a program started and waited for. */
#include <errno.h>
#include <procs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ops.h"

void op_getpid(void *arg)
{
    (void)arg;
    if (getpid() < 0) {
        printf("icount: getpid: %s\n", strerror(errno));
        exit(1);
    }
}

/* On this core, so that the count is of one core's spawn. */
void op_spawn_wait(void *prog)
{
    char *argv[] = {prog, NULL};
    int status;
    pid_t pid = spawn_on((int)sys_core_id(), prog, argv, NULL);
    if (pid < 0 || waitpid(pid, &status, 0) != pid || status != 0) {
        printf("icount: %s: %s\n", (char *)prog, pid < 0 ? strerror(errno) : "did not succeed");
        exit(1);
    }
}
