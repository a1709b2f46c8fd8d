/* cmdline.c — the program to run instead of the shell: run=PROG,ARG,... on the
 * kernel command line, words separated by commas and percent-encoded. */
#include "init.h"

#include <fmt.h>
#include <string.h>
#include <sys.h>

bool run_decode(const char *w, char *buf, size_t cap, char **argv, unsigned max)
{
    size_t out = 0, len = strlen(w);
    unsigned argc = 0;
    if (cap == 0 || max < 2)
        return false;
    argv[argc++] = buf;
    for (size_t i = 0; i < len; i++) {
        char c = w[i];
        if (c == ',') {
            if (argc + 1 >= max)
                return false;
            c = '\0';
        } else if (c == '%') {
            int hi = i + 2 < len ? fmt_hex_digit(w[i + 1]) : -1,
                lo = i + 2 < len ? fmt_hex_digit(w[i + 2]) : -1;
            if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
                return false;
            c = (char)(hi * 16 + lo);
            i += 2;
        }
        if (out + 1 >= cap)
            return false;
        buf[out++] = c;
        if (c == '\0')
            argv[argc++] = buf + out;
    }
    buf[out] = '\0';
    argv[argc] = NULL;
    return buf[0] != '\0';
}

bool cmdline_run(char **argv, unsigned max)
{
    static char line[1024], buf[1024];
    if (sys_cmdline(line, sizeof line).err != OK)
        return false;
    for (char *w = line; (w = strstr(w, "run=")) != NULL; w += 4) {
        if (w != line && w[-1] != ' ')
            continue;
        char *end = strchr(w, ' ');
        if (end != NULL)
            *end = '\0';
        return run_decode(w + 4, buf, sizeof buf, argv, max);
    }
    return false;
}
