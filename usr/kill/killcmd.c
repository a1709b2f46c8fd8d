/* killcmd.c — kill [-SIGNAL] PID...: sends a signal (TERM unless named: a
 * number, or KILL, TERM, INT, HUP) to processes. The kill program runs it,
 * and so does the shell as a built-in: a process may signal only itself and
 * its descendants, so it is the shell that must send the signal to its jobs. */
#include "killcmd.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int signal_named(const char *s)
{
    static const struct {
        const char *name;
        int sig;
    } names[] = {{"HUP", SIGHUP}, {"INT", SIGINT}, {"KILL", SIGKILL}, {"TERM", SIGTERM}};
    if (strncmp(s, "SIG", 3) == 0)
        s += 3;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (strcmp(s, names[i].name) == 0)
            return names[i].sig;
    }
    char *end;
    long n = strtol(s, &end, 10);
    return *s != '\0' && *end == '\0' && n > 0 && n < 64 ? (int)n : -1;
}

int kill_command(int argc, char **argv)
{
    int sig = SIGTERM, first = 1, status = 0;
    if (argc > 1 && argv[1][0] == '-') {
        if ((sig = signal_named(argv[1] + 1)) < 0) {
            printf("kill: unknown signal %s\n", argv[1] + 1);
            return 2;
        }
        first = 2;
    }
    if (first >= argc) {
        printf("usage: kill [-SIGNAL] PID...\n");
        return 2;
    }
    for (int i = first; i < argc; i++) {
        char *end;
        long pid = strtol(argv[i], &end, 10);
        if (*end != '\0' || pid <= 0) {
            printf("kill: %s: not a process id\n", argv[i]);
            status = 1;
        } else if (kill((pid_t)pid, sig) != 0) {
            printf("kill: %ld: %s\n", pid,
                   errno == EPERM ? "not permitted (a process may signal only its descendants)"
                                  : strerror(errno));
            status = 1;
        }
    }
    return status;
}
