/* parse.c — command lines: ';' separates commands, '|' the stages of a
 * pipeline, blanks separate words, quotes keep blanks and operators, `$?` is
 * the last status, `$!` the last background pid, a leading `@CORE` picks a
 * stage's core, `<`, `>`, `>>`, `N>`, `N>&M` redirect, `*` and `?` glob
 * (through the caller's callback) and a trailing `&` runs the pipeline in the
 * background. Calls no OS: only memory and the callback. */
#include "cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *next_command(char **rest)
{
    char *s = *rest;
    if (s == NULL)
        return NULL;
    char quote = 0;
    for (char *p = s; *p; p++) {
        if (quote != 0) {
            quote = *p == quote ? 0 : quote;
        } else if (*p == '\'' || *p == '"') {
            quote = *p;
        } else if (*p == ';' || *p == '\n') {
            *p = '\0';
            *rest = p + 1;
            return s;
        }
    }
    *rest = NULL;
    return s;
}

static bool blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

/* Characters that end an unquoted word. */
static bool ends_word(char c)
{
    return c == '\0' || blank(c) || c == '|' || c == '&' || c == '<' || c == '>';
}

static bool digit(char c) { return c >= '0' && c <= '9'; }

/* A string that grows as a word is read. */
struct buf {
    char *s;
    size_t n, cap;
};

static int buf_put(struct buf *b, char c)
{
    if (b->n + 1 >= b->cap) {
        size_t cap = b->cap == 0 ? 32 : 2 * b->cap;
        char *s = realloc(b->s, cap);
        if (s == NULL)
            return -1;
        b->s = s;
        b->cap = cap;
    }
    b->s[b->n++] = c;
    b->s[b->n] = '\0';
    return 0;
}

/* A word as read: its text with quotes removed, and the same as a glob
 * pattern, in which only the unquoted `*` and `?` stay magic. */
struct word {
    struct buf text, pat;
    bool quoted, magic;
};

static void word_free(struct word *w)
{
    free(w->text.s);
    free(w->pat.s);
}

/* Adds c to the word; unquoted, a `*` or `?` is a glob character. */
static int word_put(struct word *w, char c, bool quoted)
{
    bool special = c == '*' || c == '?' || c == '\\';
    if (special && !quoted && c != '\\')
        w->magic = true;
    else if (special && buf_put(&w->pat, '\\') != 0)
        return -1;
    return buf_put(&w->text, c) | buf_put(&w->pat, c);
}

static const char *const no_memory = "out of memory";

/* Reads the word at *pp (which must not start at a blank or an operator). */
static const char *read_word(const char **pp, const struct parse_env *env, struct word *w)
{
    *w = (struct word){0};
    const char *p = *pp;
    char quote = 0;
    for (; *p != '\0' && (quote != 0 || !ends_word(*p)); p++) {
        if (quote != 0 && *p == quote) {
            quote = 0;
        } else if (quote == 0 && (*p == '\'' || *p == '"')) {
            quote = *p;
            w->quoted = true;
        } else if (quote != '\'' && p[0] == '$' && (p[1] == '?' || p[1] == '!')) {
            char num[12];
            snprintf(num, sizeof num, "%d", p[1] == '?' ? env->status : env->last_bg);
            for (char *d = num; *d != '\0'; d++) {
                if (word_put(w, *d, true) != 0)
                    return no_memory;
            }
            p++;
        } else if (word_put(w, *p, quote != 0) != 0) {
            return no_memory;
        }
    }
    if (quote != 0)
        return "unterminated quote";
    /* An empty quoted word ('') is still a word: give it its text. */
    if (w->text.s == NULL && (w->text.s = calloc(1, 1)) == NULL)
        return no_memory;
    if (w->pat.s == NULL && (w->pat.s = calloc(1, 1)) == NULL)
        return no_memory;
    *pp = p;
    return NULL;
}

static struct stage *new_stage(struct pipeline *pl)
{
    if (pl->count == pl->cap) {
        int cap = pl->cap == 0 ? 2 : 2 * pl->cap;
        struct stage *s = realloc(pl->stages, (size_t)cap * sizeof *s);
        if (s == NULL)
            return NULL;
        pl->stages = s;
        pl->cap = cap;
    }
    struct stage *st = &pl->stages[pl->count++];
    *st = (struct stage){.core = CMD_CORE_ANY};
    return st;
}

static int add_redir(struct stage *st, struct redir r)
{
    if (st->nredir == st->redir_cap) {
        int cap = st->redir_cap == 0 ? 2 : 2 * st->redir_cap;
        struct redir *v = realloc(st->redirs, (size_t)cap * sizeof *v);
        if (v == NULL)
            return -1;
        st->redirs = v;
        st->redir_cap = cap;
    }
    st->redirs[st->nredir++] = r;
    return 0;
}

/* Reads a redirection at *pp: `<`, `>`, `>>` or `>&M`, with fd the number
 * written before it (or -1), and the file name after it. */
static const char *read_redir(const char **pp, int fd, const struct parse_env *env,
                              struct stage *st)
{
    const char *p = *pp;
    struct redir r = {.fd = fd};
    const char *needs = "< needs a file name";
    if (*p++ == '<') {
        r.op = REDIR_IN;
        r.fd = fd < 0 ? 0 : fd;
    } else if (*p == '>') {
        p++;
        r.op = REDIR_APPEND;
        needs = ">> needs a file name";
    } else if (*p == '&') {
        p++;
        if (!digit(*p) || !ends_word(p[1]))
            return ">& needs a descriptor (as in 2>&1)";
        r.op = REDIR_DUP;
        r.from = *p++ - '0';
    } else {
        r.op = REDIR_OUT;
        needs = "> needs a file name";
    }
    if (r.fd < 0)
        r.fd = 1;
    if (r.fd > 2 || r.from > 2)
        return "only descriptors 0, 1 and 2 can be redirected";
    if (r.op != REDIR_DUP) {
        while (blank(*p))
            p++;
        if (ends_word(*p))
            return needs;
        struct word w;
        const char *why = read_word(&p, env, &w);
        free(w.pat.s);
        if (why != NULL) {
            free(w.text.s);
            return why;
        }
        r.path = w.text.s;
    }
    if (add_redir(st, r) != 0) {
        free(r.path);
        return no_memory;
    }
    *pp = p;
    return NULL;
}

/* Adds a word to the stage: `@CORE` first, else an argument (or the paths
 * its pattern matches). */
static const char *add_word(struct stage *st, struct word *w, const struct parse_env *env)
{
    char *text = w->text.s;
    if (!w->quoted && st->argv.n == 0 && text[0] == '@' && st->core == CMD_CORE_ANY) {
        char *end;
        long core = strtol(text + 1, &end, 10);
        if (text[1] == '\0' || *end != '\0' || core < 0 || core > 255)
            return "@ takes a core number";
        st->core = (int)core;
        return NULL;
    }
    if (w->magic && env->glob != NULL) {
        int n = env->glob(w->pat.s, &st->argv);
        if (n < 0)
            return no_memory;
        if (n > 0)
            return NULL;
    }
    w->text.s = NULL; /* the array owns it now, even on failure */
    return words_add(&st->argv, text) == 0 ? NULL : no_memory;
}

/* The checks that need the whole pipeline. */
static const char *check(const struct pipeline *pl, bool piped)
{
    if (pl->count == 0)
        return piped ? "missing command after |" : pl->background ? "no command" : NULL;
    const struct stage *last = &pl->stages[pl->count - 1];
    if (last->argv.n > 0)
        return NULL;
    if (pl->count > 1)
        return "missing command after |";
    /* `> FILE` alone creates the file, as in POSIX; `&` or `@2` alone is an error. */
    if (last->nredir > 0 && last->core == CMD_CORE_ANY && !pl->background)
        return NULL;
    return "no command";
}

const char *parse_pipeline(const char *cmd, const struct parse_env *env, struct pipeline *out)
{
    *out = (struct pipeline){0};
    struct stage *st = NULL; /* the stage being read; NULL before its first word */
    bool piped = false;
    const char *p = cmd;
    for (;;) {
        while (blank(*p))
            p++;
        if (*p == '\0')
            break;
        if (*p == '|') {
            if (p[1] == '|')
                return "|| is not supported (separate commands with ';')";
            if (st == NULL || st->argv.n == 0)
                return "missing command before |";
            st = NULL;
            piped = true;
            p++;
            continue;
        }
        if (*p == '&') {
            if (p[1] == '&')
                return "&& is not supported (separate commands with ';')";
            for (p++; blank(*p);)
                p++;
            if (*p != '\0')
                return "& must end the command";
            out->background = true;
            break;
        }
        if (st == NULL && (st = new_stage(out)) == NULL)
            return no_memory;
        const char *why;
        if (*p == '<' || *p == '>' || (digit(*p) && (p[1] == '<' || p[1] == '>'))) {
            int fd = digit(*p) ? *p++ - '0' : -1;
            why = read_redir(&p, fd, env, st);
        } else {
            struct word w;
            why = read_word(&p, env, &w);
            if (why == NULL)
                why = add_word(st, &w, env);
            word_free(&w);
        }
        if (why != NULL)
            return why;
    }
    if (piped && st == NULL)
        return "missing command after |";
    return check(out, piped);
}

void pipeline_free(struct pipeline *pl)
{
    for (int i = 0; i < pl->count; i++) {
        struct stage *st = &pl->stages[i];
        words_free(&st->argv);
        for (int r = 0; r < st->nredir; r++)
            free(st->redirs[r].path);
        free(st->redirs);
    }
    free(pl->stages);
    *pl = (struct pipeline){0};
}
