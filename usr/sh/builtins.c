/* builtins.c — the commands the shell does itself, because they change the
 * shell (exit, cd) or ask about its children (wait, kill): exit, wait, kill,
 * cd, pwd, help. They print to the shell's stdout, which redir.c may have
 * pointed at a file for them. */
#include "sh.h"

#include "../kill/killcmd.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int status_of(pid_t pid, const char *name, int raw, bool report_exit)
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

static int builtin_wait(int argc, char **argv, struct sh_state *sh)
{
    (void)sh;
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

static int builtin_exit(int argc, char **argv, struct sh_state *sh)
{
    fflush(stdout);
    exit(argc > 1 ? atoi(argv[1]) : sh->status);
}

static int builtin_kill(int argc, char **argv, struct sh_state *sh)
{
    (void)sh;
    return kill_command(argc, argv); /* the shell is its jobs' ancestor */
}

static int builtin_cd(int argc, char **argv, struct sh_state *sh)
{
    (void)sh;
    if (argc > 2) {
        printf("sh: cd: too many arguments\n");
        return 2;
    }
    const char *dir = argc > 1 ? argv[1] : "/"; /* no HOME here: the root */
    if (chdir(dir) != 0) {
        printf("sh: cd: %s: %s\n", dir, strerror(errno));
        return 1;
    }
    return 0;
}

static int builtin_pwd(int argc, char **argv, struct sh_state *sh)
{
    (void)argc, (void)argv, (void)sh;
    /* No PATH_MAX to trust: grow until the name fits. */
    for (size_t cap = 128;; cap *= 2) {
        char *buf = malloc(cap);
        if (buf == NULL) {
            printf("sh: pwd: out of memory\n");
            return 1;
        }
        if (getcwd(buf, cap) != NULL) {
            printf("%s\n", buf);
            free(buf);
            return 0;
        }
        int e = errno;
        free(buf);
        if (e != ERANGE) {
            printf("sh: pwd: %s\n", strerror(e));
            return 1;
        }
    }
}

static int builtin_help(int argc, char **argv, struct sh_state *sh)
{
    (void)argc, (void)argv, (void)sh;
    printf("Commands are programs of the boot archive, run as processes:\n"
           "  PROGRAM ARGS...        run it in the foreground; $? is its status\n"
           "  PROGRAM ARGS... &      run it in the background\n"
           "  @CORE PROGRAM ARGS...  run it on that core (else PM chooses)\n"
           "  A | B | C              a pipeline: each one's output is the next one's\n"
           "                         input; @CORE per stage; $? is the last one's\n"
           "Redirections, anywhere among the words: < FILE, > FILE, >> FILE,\n"
           "  2> FILE, 2>> FILE, 2>&1 (applied in order, after the pipe's).\n"
           "Words: '...' and \"...\" keep blanks and | & < > literal; * and ? in the\n"
           "  last part of a path name the matching files, sorted (.* for hidden ones).\n"
           "$? is the last status, $! the last background process.\n"
           "Built-ins: exit [N], wait [PID...], kill [-SIGNAL] PID..., cd [DIR],\n"
           "  pwd, help; alone, not in a pipeline.\n"
           "Separate commands with ';' (no && or ||). A process may signal only its\n"
           "descendants. Ctrl-C interrupts the foreground program, Ctrl-D ends the shell.\n"
           "Files (FS: / and /tmp in memory, the first disk at /mnt): ls, cat, cp, mv,\n"
           "rm, mkdir, rmdir, touch, ln, wc, head, tail, grep, od, df, sync, stat, find,\n"
           "du, cmp. Processes: ps, kill, service, cores, free, sleep. Also echo, true,\n"
           "false, lines, blk, devices, chanbench, fsbench, hellolibc.\n");
    return 0;
}

static const struct {
    const char *name;
    int (*fn)(int argc, char **argv, struct sh_state *sh);
} builtins[] = {
    {"exit", builtin_exit}, {"wait", builtin_wait}, {"kill", builtin_kill},
    {"cd", builtin_cd},     {"pwd", builtin_pwd},   {"help", builtin_help},
};

static int find(const char *name)
{
    for (size_t i = 0; i < sizeof builtins / sizeof builtins[0]; i++) {
        if (strcmp(builtins[i].name, name) == 0)
            return (int)i;
    }
    return -1;
}

bool builtin_is(const char *name) { return find(name) >= 0; }

bool builtin_run(const struct words *argv, struct sh_state *sh, int *status)
{
    int i = find(argv->v[0]);
    if (i < 0)
        return false;
    *status = builtins[i].fn(argv->n, argv->v, sh);
    return true;
}
