/* run.c — runs a parsed pipeline: a process per stage, each spawned with the
 * shell's 0 and 1 pointed at its pipes and its files for the moment of the
 * spawn; then waits for the stages (or lists them as jobs for `&`). The shell
 * closes each pipe end as soon as the stages that use it are spawned, so a
 * reader sees end-of-file once its writer is gone. */
#include "sh.h"

#include <errno.h>
#include <fcntl.h>
#include <procs.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

_Static_assert(CMD_CORE_ANY == CORE_ANY, "the parser's 'any core' is PM's");

static void close_if_open(int fd)
{
    if (fd >= 0)
        close(fd);
}

/* Says why a stage was not spawned: its pipe (piping), a redirection (bad)
 * or the spawn itself failed with e. Returns its status as $? has it. */
static int refused(const struct stage *st, bool piping, const struct redir *bad, int e)
{
    if (piping)
        printf("sh: pipe: %s\n", strerror(e));
    else if (bad != NULL && bad->op == REDIR_DUP)
        printf("sh: %d>&%d: %s\n", bad->fd, bad->from, strerror(e));
    else if (bad != NULL)
        printf("sh: %s: %s\n", bad->path, strerror(e));
    else
        printf("sh: %s: %s\n", st->argv.v[0], e == ENOENT ? "not found" : strerror(e));
    if (piping || bad != NULL)
        return 1;
    return e == ENOENT ? 127 : 126;
}

/* Spawns a stage with its input from in and its output to out (-1: the
 * shell's own); its pid, 0 for a stage of redirections alone, or -1 after
 * saying why, with *status set. */
static pid_t stage_spawn(const struct stage *st, int in, int out, int *status)
{
    struct fd_save save;
    fd_save_init(&save);
    bool piping =
        (in >= 0 && fd_move(&save, 0, in) != 0) || (out >= 0 && fd_move(&save, 1, out) != 0);
    int e = errno;
    const struct redir *bad = NULL;
    pid_t pid = 0;
    if (!piping && (bad = redir_apply(&save, st->redirs, st->nredir)) != NULL)
        e = errno;
    else if (!piping && st->argv.n > 0 &&
             (pid = spawn_on(st->core, st->argv.v[0], st->argv.v, NULL)) < 0)
        e = errno;
    fd_restore(&save);
    if (piping || bad != NULL || pid < 0) {
        *status = refused(st, piping, bad, e);
        return -1;
    }
    return pid;
}

/* A built-in alone: run in the shell, with the stage's redirections. */
static int run_builtin(const struct stage *st, struct sh_state *sh)
{
    struct fd_save save;
    fd_save_init(&save);
    const struct redir *bad = redir_apply(&save, st->redirs, st->nredir);
    int e = errno, status = 0;
    if (bad == NULL)
        (void)builtin_run(&st->argv, sh, &status);
    fd_restore(&save);
    return bad == NULL ? status : refused(st, false, bad, e);
}

static int set_cloexec(int fd) { return fcntl(fd, F_SETFD, FD_CLOEXEC); }

/* Spawns every stage into pids (0 where none was); the last one's status in
 * *last when it could not be spawned. */
static void spawn_all(const struct pipeline *pl, pid_t *pids, int *last)
{
    int in = -1;
    for (int i = 0; i < pl->count; i++) {
        /* The shell's pipe ends stay close-on-exec: only the stage whose 0 or
         * 1 one becomes (dup2 clears the flag there) holds it. */
        int p[2] = {-1, -1};
        if (i + 1 < pl->count &&
            (pipe(p) != 0 || set_cloexec(p[0]) != 0 || set_cloexec(p[1]) != 0)) {
            printf("sh: pipe: %s\n", strerror(errno));
            close_if_open(p[0]);
            close_if_open(p[1]);
            *last = 1;
            break; /* the stages spawned see end-of-file or a broken pipe */
        }
        int status = 0;
        pid_t pid = stage_spawn(&pl->stages[i], in, p[1], &status);
        close_if_open(in);
        close_if_open(p[1]);
        in = p[0];
        pids[i] = pid > 0 ? pid : 0;
        if (i + 1 == pl->count)
            *last = status;
    }
    close_if_open(in);
}

/* Waits for stage i; its status, or -1 if there was none. */
static int wait_stage(const struct pipeline *pl, const pid_t *pids, int i)
{
    if (pids[i] == 0)
        return -1;
    const char *name = pl->stages[i].argv.v[0];
    console_foreground(pids[i]); /* Ctrl-C goes to the stage being waited for */
    int raw;
    pid_t got = waitpid(pids[i], &raw, 0);
    if (got < 0) {
        printf("sh: %s: wait: %s\n", name, strerror(errno));
        return 1;
    }
    /* A stage before the last that a broken pipe or Ctrl-C ended is as expected. */
    bool last = i + 1 == pl->count;
    if (!last && WIFSIGNALED(raw) && (WTERMSIG(raw) == SIGPIPE || WTERMSIG(raw) == SIGINT))
        return 128 + WTERMSIG(raw);
    return status_of(got, name, raw, false);
}

static int wait_all(const struct pipeline *pl, const pid_t *pids, int status)
{
    /* The last stage first, so that when Ctrl-C ends it the others hear it
     * too rather than leave the shell waiting on them. */
    int n = pl->count, got = wait_stage(pl, pids, n - 1);
    if (got >= 0)
        status = got;
    for (int i = 0; i + 1 < n && status == 128 + SIGINT; i++) {
        if (pids[i] != 0)
            (void)kill(pids[i], SIGINT);
    }
    for (int i = 0; i + 1 < n; i++)
        (void)wait_stage(pl, pids, i);
    console_foreground(0);
    return status;
}

static int list_jobs(const struct pipeline *pl, const pid_t *pids, struct sh_state *sh, int status)
{
    for (int i = 0; i < pl->count; i++) {
        if (pids[i] == 0)
            continue;
        const char *name = pl->stages[i].argv.v[0];
        jobs_add(pids[i], name);
        sh->last_bg = pids[i];
        printf("[%d] %s\n", (int)pids[i], name);
    }
    return status;
}

int pipeline_run(const struct pipeline *pl, struct sh_state *sh)
{
    if (pl->count == 1 && pl->stages[0].argv.n > 0 && builtin_is(pl->stages[0].argv.v[0]))
        return run_builtin(&pl->stages[0], sh);
    for (int i = 0; i < pl->count && pl->count > 1; i++) {
        if (builtin_is(pl->stages[i].argv.v[0])) {
            printf("sh: %s: a built-in cannot be part of a pipeline\n", pl->stages[i].argv.v[0]);
            return 2;
        }
    }
    pid_t *pids = calloc((size_t)pl->count, sizeof *pids);
    if (pids == NULL) {
        printf("sh: out of memory\n");
        return 1;
    }
    int status = 0;
    spawn_all(pl, pids, &status);
    status = pl->background ? list_jobs(pl, pids, sh, status) : wait_all(pl, pids, status);
    free(pids);
    return status;
}
