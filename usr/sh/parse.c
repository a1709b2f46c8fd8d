/* parse.c — command lines: ';' separates commands, blanks separate words,
 * quotes keep blanks, `$?` is the last status, `$!` the last background pid, a leading `@CORE`
 * picks the core and a trailing `&` runs the command in the background. */
#include "sh.h"

#include <procs.h>
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

const char *parse_command(char *cmd, int status, int last_bg, struct command *out)
{
    /* Words are rebuilt in place: a word never grows, but for $? (room below). */
    static char words[1024];
    size_t used = 0;
    out->argc = 0;
    out->core = CORE_ANY;
    out->background = false;
    char *p = cmd;
    for (;;) {
        while (blank(*p))
            p++;
        if (*p == '\0')
            break;
        if (out->argc == ARGS_MAX_SH)
            return "too many words";
        char *w = words + used;
        char quote = 0;
        bool quoted = false;
        for (; *p && (quote != 0 || !blank(*p)); p++) {
            if (used + 12 >= sizeof words)
                return "line too long";
            if (quote != 0 && *p == quote) {
                quote = 0;
            } else if (quote == 0 && (*p == '\'' || *p == '"')) {
                quote = *p;
                quoted = true;
            } else if (quote != '\'' && p[0] == '$' && (p[1] == '?' || p[1] == '!')) {
                used += (size_t)snprintf(words + used, 12, "%d", p[1] == '?' ? status : last_bg);
                p++;
            } else {
                words[used++] = *p;
            }
        }
        if (quote != 0)
            return "unterminated quote";
        words[used++] = '\0';
        if (!quoted && strcmp(w, "&") == 0) {
            out->background = true;
            while (blank(*p))
                p++;
            if (*p != '\0')
                return "& must end the command";
            break;
        }
        if (!quoted && out->argc == 0 && w[0] == '@' && out->core == CORE_ANY) {
            char *end;
            long core = strtol(w + 1, &end, 10);
            if (w[1] == '\0' || *end != '\0' || core < 0 || core > 255)
                return "@ takes a core number";
            out->core = (int)core;
            continue;
        }
        out->argv[out->argc++] = w;
    }
    out->argv[out->argc] = NULL;
    if (out->argc == 0 && (out->background || out->core != CORE_ANY))
        return "no command";
    return NULL;
}
