/* echo — prints its arguments, separated by blanks, and a newline. */
#include <string.h>
#include <sys.h>

int main(int argc, char **argv)
{
    char line[1024];
    size_t n = 0;
    for (int i = 1; i < argc; i++) {
        size_t len = strlen(argv[i]);
        if (n + len + 2 > sizeof line)
            break;
        if (i > 1)
            line[n++] = ' ';
        memcpy(line + n, argv[i], len);
        n += len;
    }
    line[n++] = '\n';
    return sys_print(line, n) == OK ? 0 : 1;
}
