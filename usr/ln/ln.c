/* ln [-sf] SOURCE DEST, ln [-sf] SOURCE... DIR — makes DEST (or DIR/the last
 * part of each SOURCE) a hard link to SOURCE, or with -s a symbolic link that
 * holds the text SOURCE. -f first removes a DEST that exists. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool symbolic, force;

/* The last component of path, without trailing slashes, in a new string. */
static char *last_part(const char *path)
{
    size_t end = strlen(path);
    while (end > 1 && path[end - 1] == '/')
        end--;
    size_t start = end;
    while (start > 0 && path[start - 1] != '/')
        start--;
    return strndup(path + start, end - start);
}

static int make_link(const char *src, const char *dest)
{
    if (force && unlink(dest) != 0 && errno != ENOENT) {
        fprintf(stderr, "ln: %s: %s\n", dest, strerror(errno));
        return 1;
    }
    if ((symbolic ? symlink(src, dest) : link(src, dest)) != 0) {
        fprintf(stderr, "ln: %s -> %s: %s\n", dest, src, strerror(errno));
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    int opt;
    while ((opt = getopt(argc, argv, "sf")) != -1) {
        if (opt == 's') {
            symbolic = true;
        } else if (opt == 'f') {
            force = true;
        } else {
            fprintf(stderr, "usage: ln [-sf] SOURCE DEST | ln [-sf] SOURCE... DIR\n");
            return 2;
        }
    }
    if (argc - optind < 2) {
        fprintf(stderr, "usage: ln [-sf] SOURCE DEST | ln [-sf] SOURCE... DIR\n");
        return 2;
    }
    const char *target = argv[argc - 1];
    struct stat st;
    bool into_dir = stat(target, &st) == 0 && S_ISDIR(st.st_mode);
    if (!into_dir && argc - optind > 2) {
        fprintf(stderr, "ln: %s: %s\n", target, strerror(ENOTDIR));
        return 1;
    }
    if (!into_dir)
        return make_link(argv[optind], target);
    int status = 0;
    for (int i = optind; i < argc - 1; i++) {
        char *name = last_part(argv[i]);
        char *dest = name ? malloc(strlen(target) + strlen(name) + 2) : NULL;
        if (!dest) {
            fprintf(stderr, "ln: %s\n", strerror(ENOMEM));
            return 1;
        }
        sprintf(dest, "%s/%s", target, name);
        status |= make_link(argv[i], dest);
        free(dest);
        free(name);
    }
    return status;
}
