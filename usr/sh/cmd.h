/* cmd.h — the shell's command language, apart from running it: a line split
 * into pipelines, each into stages with their words and redirections, and
 * globbing. Only glob_expand touches the system (it reads directories); the
 * parser reaches it through a callback, so the host unit tests in tests/usr/sh
 * run all of this. */
#ifndef SH_CMD_H
#define SH_CMD_H

#include <stdbool.h>
#include <stddef.h>

/* @CORE not given: the process manager chooses (procs.h's CORE_ANY). */
#define CMD_CORE_ANY (-1)

/* A growable array of strings it owns; v[n] is NULL once anything was added. */
struct words {
    char **v;
    int n, cap;
};

/* Appends s (taken over; freed on failure too); -1 when out of memory. */
int words_add(struct words *w, char *s) __attribute__((warn_unused_result));
/* Appends a copy of the first len bytes of s; -1 when out of memory. */
int words_add_copy(struct words *w, const char *s, size_t len) __attribute__((warn_unused_result));
void words_free(struct words *w);

enum redir_op {
    REDIR_IN,     /* fd < path */
    REDIR_OUT,    /* fd > path: created or truncated */
    REDIR_APPEND, /* fd >> path */
    REDIR_DUP,    /* fd >& from: a copy of the shell's fd `from` at that point */
};

struct redir {
    int fd; /* 0, 1 or 2 */
    enum redir_op op;
    char *path; /* NULL for REDIR_DUP */
    int from;   /* REDIR_DUP only */
};

/* One program of a pipeline. Redirections apply in their order, after the
 * pipe's own ends (as POSIX has it: `a 2>&1 | b` sends errors down the pipe). */
struct stage {
    struct words argv;
    int core; /* @CORE, or CMD_CORE_ANY */
    struct redir *redirs;
    int nredir, redir_cap;
};

struct pipeline {
    struct stage *stages;
    int count, cap;
    bool background; /* ends with &: for every stage */
};

struct parse_env {
    int status;  /* $? */
    int last_bg; /* $! */
    /* Appends the sorted paths that pattern (a word with `*` or `?`, quoted
     * characters escaped by '\\') names; returns how many, 0 for none (the
     * word is then kept as it is), -1 when out of memory. NULL: no globbing. */
    int (*glob)(const char *pattern, struct words *out);
};

/* parse.c: the next command of a line (up to an unquoted ';' or newline, which
 * it overwrites), or NULL at the end; *rest moves past it. */
char *next_command(char **rest);
/* Parses one command into out (which pipeline_free releases, even on error);
 * NULL, or why the command is malformed. An empty command gives count 0. */
const char *parse_pipeline(const char *cmd, const struct parse_env *env, struct pipeline *out);
void pipeline_free(struct pipeline *p);

/* match.c: whether name matches pattern: `*` any run of characters, `?` any
 * one, `\c` the character c itself, anything else itself. */
bool glob_match(const char *pattern, const char *name);
/* Whether pattern has a `*` or `?` that is not escaped. */
bool glob_has_magic(const char *pattern);
/* Copies pattern into out (room for strlen(pattern) + 1) without its escapes. */
void glob_unescape(const char *pattern, char *out);

/* glob.c: parse_env's glob: `*` and `?` in the last path component only. */
int glob_expand(const char *pattern, struct words *out);

#endif
