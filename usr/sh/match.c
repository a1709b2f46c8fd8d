/* match.c — the glob matcher (this libc has no fnmatch): `*`, `?` and `\`
 * escapes, no bracket classes. Calls no OS. */
#include "cmd.h"

#include <stddef.h>

bool glob_match(const char *pat, const char *name)
{
    /* Backtracking only to the last `*`: an earlier one can never need to
     * take more, so this stays linear in practice and never recursive. */
    const char *star = NULL, *resume = NULL;
    while (*name != '\0') {
        if (*pat == '*') {
            star = ++pat;
            resume = name;
            continue;
        }
        if (*pat == '?') {
            pat++;
            name++;
            continue;
        }
        const char *lit = pat;
        if (*lit == '\\' && lit[1] != '\0')
            lit++;
        if (*lit != '\0' && *lit == *name) {
            pat = lit + 1;
            name++;
            continue;
        }
        if (star == NULL)
            return false;
        pat = star;
        name = ++resume;
    }
    while (*pat == '*')
        pat++;
    return *pat == '\0';
}

bool glob_has_magic(const char *pat)
{
    for (; *pat != '\0'; pat++) {
        if (*pat == '\\' && pat[1] != '\0')
            pat++;
        else if (*pat == '*' || *pat == '?')
            return true;
    }
    return false;
}

void glob_unescape(const char *pat, char *out)
{
    for (; *pat != '\0'; pat++) {
        if (*pat == '\\' && pat[1] != '\0')
            pat++;
        *out++ = *pat;
    }
    *out = '\0';
}
