/* console.c — the shell's terminal: lines come from the console driver, which
 * echoes and edits them (lib/posix's read on stdin). */
#include "sh.h"

#include <procs.h>
#include <stdio.h>
#include <string.h>

int console_read_line(char *buf, int cap)
{
    if (fgets(buf, cap, stdin) == NULL)
        return -1;
    buf[strcspn(buf, "\r\n")] = '\0';
    return (int)strlen(buf);
}

void console_foreground(pid_t pid) { (void)console_set_foreground(pid); }
