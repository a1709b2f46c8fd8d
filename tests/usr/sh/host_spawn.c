/* host_spawn.c — what the shell asks of PM and the console, for the shell
 * built on the host (test_sh_host.py): spawn_on is posix_spawnp of a host
 * program, which inherits the descriptors that are not close-on-exec as the
 * guest's spawn does; the console calls do nothing. The core is ignored. */
#include <errno.h>
#include <procs.h>
#include <spawn.h>

extern char **environ;

pid_t spawn_on(int core, const char *prog, char *const argv[], char *const envp[])
{
    (void)core;
    pid_t pid;
    int e = posix_spawnp(&pid, prog, NULL, NULL, argv, envp != NULL ? envp : environ);
    if (e != 0) {
        errno = e;
        return -1;
    }
    return pid;
}

int console_set_foreground(pid_t pid)
{
    (void)pid;
    return 0;
}

int console_connect(void) { return 0; }
