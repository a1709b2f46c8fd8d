/* mv SOURCE DEST, mv SOURCE... DIR — renames SOURCE to DEST (or to DIR/the
 * last part of each SOURCE). Only rename() is used: a move to another file
 * system fails with "Invalid cross-device link" (EXDEV) instead of copying. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

static int move(const char *src, const char *dest)
{
    if (rename(src, dest) != 0) {
        fprintf(stderr, "mv: %s -> %s: %s\n", src, dest, strerror(errno));
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (getopt(argc, argv, "") != -1 || argc - optind < 2) {
        fprintf(stderr, "usage: mv SOURCE DEST | mv SOURCE... DIR\n");
        return 2;
    }
    const char *target = argv[argc - 1];
    struct stat st;
    bool into_dir = stat(target, &st) == 0 && S_ISDIR(st.st_mode);
    if (!into_dir && argc - optind > 2) {
        fprintf(stderr, "mv: %s: %s\n", target, strerror(ENOTDIR));
        return 1;
    }
    if (!into_dir)
        return move(argv[optind], target);
    int status = 0;
    for (int i = optind; i < argc - 1; i++) {
        char *name = last_part(argv[i]);
        char *dest = name ? malloc(strlen(target) + strlen(name) + 2) : NULL;
        if (!dest) {
            fprintf(stderr, "mv: %s\n", strerror(ENOMEM));
            return 1;
        }
        sprintf(dest, "%s/%s", target, name);
        status |= move(argv[i], dest);
        free(dest);
        free(name);
    }
    return status;
}
