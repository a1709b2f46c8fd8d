/* sh.h — the shell's parts: parsing a command line, the background jobs, and
 * the console. */
#ifndef SH_H
#define SH_H

#include <stdbool.h>
#include <sys/types.h>

#define LINE_MAX_SH 512
#define ARGS_MAX_SH 32

struct command {
    int argc;
    char *argv[ARGS_MAX_SH + 1];
    int core;        /* @CORE, or CORE_ANY */
    bool background; /* ends with & */
};

/* parse.c: the next command of a line (up to ';' or its end), or NULL. */
char *next_command(char **rest);
/* Splits cmd in place into words (quotes '...' and "..." keep blanks; $?
 * becomes status, $! last_bg); NULL, or why the command is malformed. */
const char *parse_command(char *cmd, int status, int last_bg, struct command *out);

/* jobs.c: background processes not waited for yet. */
void jobs_add(pid_t pid, const char *name);
void jobs_remove(pid_t pid);
const char *jobs_name(pid_t pid);
int jobs_count(void);

/* console.c: a line from the console without its newline; -1 if there is no
 * console to read. And which process Ctrl-C interrupts (0: none). */
int console_read_line(char *buf, int cap);
void console_foreground(pid_t pid);

#endif
