/* mkdir [-p] DIR... — makes each directory (mode 0777 less the umask). With
 * -p, makes the missing parents too, and a directory that already exists is
 * no error. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Makes every prefix of path that ends before a '/', then path itself;
 * path is cut at each '/' in turn and restored. */
static int make_parents(char *path)
{
    for (char *p = path + 1;; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        char saved = *p;
        *p = '\0';
        int failed = mkdir(path, 0777) != 0 && !(errno == EEXIST && is_dir(path));
        *p = saved;
        if (failed || saved == '\0')
            return failed ? -1 : 0;
    }
}

int main(int argc, char **argv)
{
    bool parents = false;
    int opt;
    while ((opt = getopt(argc, argv, "p")) != -1) {
        if (opt != 'p') {
            fprintf(stderr, "usage: mkdir [-p] DIR...\n");
            return 2;
        }
        parents = true;
    }
    if (optind == argc) {
        fprintf(stderr, "usage: mkdir [-p] DIR...\n");
        return 2;
    }
    int status = 0;
    for (int i = optind; i < argc; i++) {
        int r = parents && argv[i][0] != '\0' ? make_parents(argv[i]) : mkdir(argv[i], 0777);
        if (r != 0) {
            fprintf(stderr, "mkdir: %s: %s\n", argv[i], strerror(errno));
            status = 1;
        }
    }
    return status;
}
