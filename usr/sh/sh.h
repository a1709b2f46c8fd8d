/* sh.h — the shell's parts that run things: redirecting its descriptors around
 * a spawn, running pipelines, the built-ins, the background jobs and the
 * console. The language itself is in cmd.h. */
#ifndef SH_H
#define SH_H

#include "cmd.h"

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* The shell's $? and $!. */
struct sh_state {
    int status;
    int last_bg;
};

/* redir.c: the shell's own 0, 1 and 2 as they were before a stage's
 * redirections, to put back once it is spawned. */
struct fd_save {
    int fd[3]; /* a close-on-exec copy; FD_UNTOUCHED; or FD_WAS_CLOSED */
};
#define FD_UNTOUCHED  (-1)
#define FD_WAS_CLOSED (-2)

void fd_save_init(struct fd_save *s);
/* Makes the shell's fd a copy of from, saving it first; -1 with errno. */
int fd_move(struct fd_save *s, int fd, int from) __attribute__((warn_unused_result));
/* Applies a stage's redirections in order; NULL, or the one that failed
 * (errno says why; the caller says it once the shell's output is back). */
const struct redir *redir_apply(struct fd_save *s, const struct redir *r, int n)
    __attribute__((warn_unused_result));
/* Puts 0, 1 and 2 back as they were. */
void fd_restore(struct fd_save *s);

/* builtins.c: runs argv if it names a built-in, with *status its status. */
bool builtin_run(const struct words *argv, struct sh_state *sh, int *status);
bool builtin_is(const char *name);
/* The status as $? has it: 128 + the signal for a process a signal ended. */
int status_of(pid_t pid, const char *name, int raw, bool report_exit);

/* run.c: runs a parsed pipeline; returns its status ($?: the last stage's). */
int pipeline_run(const struct pipeline *pl, struct sh_state *sh);

/* jobs.c: background processes not waited for yet. */
void jobs_add(pid_t pid, const char *name);
void jobs_remove(pid_t pid);
const char *jobs_name(pid_t pid);
int jobs_count(void);

/* console.c: a line from standard input without its newline, in *buf (which
 * grows; *cap its size); its length, -1 at the end of input, -2 for a line
 * too long for memory, -3 if the read failed (errno says why). And which
 * process Ctrl-C interrupts (0: none). */
long console_read_line(char **buf, size_t *cap);
void console_foreground(pid_t pid);

#endif
