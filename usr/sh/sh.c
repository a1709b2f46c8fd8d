/* sh.c — the shell: runs programs of the boot archive as processes (PM puts
 * each on a core, or `@CORE` names one), in the foreground or with `&` in the
 * background, and keeps the last status in $? (and the last background pid in $!). Built-ins: exit,
 * wait, kill, help. `sh -c 'CMD; CMD'` runs commands without a terminal (tests use it). */
#include "sh.h"

#include "../kill/killcmd.h"

#include <errno.h>
#include <procs.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int last_status, last_bg;

/* The status as $? has it: 128 + the signal for a process a signal ended. */
static int status_of(pid_t pid, const char *name, int raw, bool report_exit)
{
    if (WIFSIGNALED(raw)) {
        int sig = WTERMSIG(raw);
        printf("sh: %s (pid %d) killed by signal %d (%s)\n", name, (int)pid, sig, strsignal(sig));
        return 128 + sig;
    }
    if (report_exit)
        printf("[%d] %s done, status %d\n", (int)pid, name, WEXITSTATUS(raw));
    return WEXITSTATUS(raw);
}

static int builtin_wait(int argc, char **argv)
{
    if (argc > 1) {
        int status = 0;
        for (int i = 1; i < argc; i++) {
            pid_t pid = (pid_t)atoi(argv[i]), got;
            int raw;
            if (pid <= 0 || (got = waitpid(pid, &raw, 0)) < 0) {
                printf("sh: wait: %s: %s\n", argv[i], strerror(errno));
                status = 127;
                continue;
            }
            status = status_of(got, jobs_name(got), raw, true);
            jobs_remove(got);
        }
        return status;
    }
    int raw, status = 0;
    pid_t got;
    while (jobs_count() > 0 && (got = waitpid(-1, &raw, 0)) > 0) {
        status = status_of(got, jobs_name(got), raw, true);
        jobs_remove(got);
    }
    return status;
}

static void help(void)
{
    printf("Commands are programs of the boot archive, run as processes:\n"
           "  PROGRAM ARGS...        run it in the foreground; $? is its status\n"
           "  PROGRAM ARGS... &      run it in the background\n"
           "  @CORE PROGRAM ARGS...  run it on that core (else PM chooses)\n"
           "$? is the last status, $! the last background process.\n"
           "Built-ins: exit [N], wait [PID...], kill [-SIGNAL] PID..., help.\n"
           "Separate commands with ';'. A process may signal only its descendants.\n"
           "Ctrl-C interrupts the foreground program, Ctrl-D ends the shell.\n"
           "Programs: echo, ps, kill, cores, sleep, true, false, chanbench, hellolibc.\n");
}

/* Runs one parsed command; returns its status. */
static int run(int argc, char **argv, int core, bool background)
{
    if (strcmp(argv[0], "exit") == 0) {
        fflush(stdout);
        exit(argc > 1 ? atoi(argv[1]) : last_status);
    }
    if (strcmp(argv[0], "wait") == 0)
        return builtin_wait(argc, argv);
    if (strcmp(argv[0], "kill") == 0)
        return kill_command(argc, argv); /* the shell is its jobs' ancestor */
    if (strcmp(argv[0], "help") == 0) {
        help();
        return 0;
    }
    pid_t pid = spawn_on(core, argv[0], argv, NULL);
    if (pid < 0) {
        int e = errno;
        printf("sh: %s: %s\n", argv[0], e == ENOENT ? "not found" : strerror(e));
        return e == ENOENT ? 127 : 126;
    }
    if (background) {
        jobs_add(pid, argv[0]);
        last_bg = pid;
        printf("[%d] %s\n", (int)pid, argv[0]);
        return 0;
    }
    console_foreground(pid);
    int raw;
    pid_t got = waitpid(pid, &raw, 0);
    console_foreground(0);
    if (got < 0) {
        printf("sh: %s: wait: %s\n", argv[0], strerror(errno));
        return 1;
    }
    return status_of(pid, argv[0], raw, false);
}

/* Runs a line: commands separated by ';'. */
static void run_line(char *line)
{
    char *rest = line;
    for (char *cmd; (cmd = next_command(&rest)) != NULL;) {
        struct command c;
        const char *why = parse_command(cmd, last_status, last_bg, &c);
        if (why != NULL) {
            printf("sh: %s\n", why);
            last_status = 2;
            continue;
        }
        if (c.argc > 0)
            last_status = run(c.argc, c.argv, c.core, c.background);
    }
}

int main(int argc, char **argv)
{
    /* A line at a time: each write is a message to the console driver. */
    setvbuf(stdout, NULL, _IOLBF, BUFSIZ);
    setvbuf(stderr, NULL, _IOLBF, BUFSIZ);
    if (argc > 2 && strcmp(argv[1], "-c") == 0) {
        run_line(argv[2]);
        return last_status;
    }
    printf("sh: type help for the commands\n");
    static char line[LINE_MAX_SH];
    for (;;) {
        printf("$ ");
        fflush(stdout);
        if (console_read_line(line, sizeof line) < 0) {
            printf("\nsh: end of input%s\n",
                   console_connect() != 0 ? " (no console driver in this system)" : "");
            return last_status;
        }
        run_line(line);
    }
}
