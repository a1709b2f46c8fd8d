/* console.c — the shell's input: lines from standard input (the console
 * driver echoes and edits them, lib/posix's read on stdin; or a pipe or file).
 * A line may be as long as memory allows: the buffer grows to fit it. */
#include "sh.h"

#include <limits.h>
#include <procs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Reads and drops the rest of a line that did not fit in memory. */
static void skip_line(char *buf, size_t cap)
{
    while (fgets(buf, (int)(cap > INT_MAX ? INT_MAX : cap), stdin) != NULL &&
           strchr(buf, '\n') == NULL)
        ;
}

long console_read_line(char **buf, size_t *cap)
{
    size_t len = 0;
    for (;;) {
        if (*cap - len < 2) {
            size_t grown = *cap == 0 ? 256 : 2 * *cap;
            char *b = realloc(*buf, grown);
            if (b == NULL) {
                skip_line(*buf, *cap);
                return -2;
            }
            *buf = b;
            *cap = grown;
        }
        size_t room = *cap - len;
        if (fgets(*buf + len, (int)(room > INT_MAX ? INT_MAX : room), stdin) == NULL) {
            if (len == 0 && ferror(stdin)) {
                clearerr(stdin);
                return -3; /* a read that failed, not the end */
            }
            if (len == 0)
                return -1;
            break; /* the last line had no newline */
        }
        len += strlen(*buf + len);
        if (len > 0 && (*buf)[len - 1] == '\n')
            break;
    }
    (*buf)[strcspn(*buf, "\r\n")] = '\0';
    return (long)strlen(*buf);
}

void console_foreground(pid_t pid) { (void)console_set_foreground(pid); }
