/* rm [-rf] FILE... — removes each file. A directory needs -r, which removes
 * everything under it first (symbolic links are removed, never followed).
 * -f says nothing about files that do not exist, and allows no operands.
 * "." and ".." are refused, as POSIX asks, and so is "/". */
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool recursive, force;

static int fail(const char *path)
{
    if (force && errno == ENOENT)
        return 0;
    fprintf(stderr, "rm: %s: %s\n", path, strerror(errno));
    return 1;
}

static int remove_path(const char *path);

/* Removes what dir holds. The names are read to the end before any is
 * removed, since removing entries while reading a directory may skip some. */
static int remove_contents(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return fail(dir);
    char **names = NULL;
    size_t count = 0, cap = 0;
    int status = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (count == cap) {
            cap = cap ? 2 * cap : 16;
            char **p = realloc(names, cap * sizeof *names);
            if (!p)
                break;
            names = p;
        }
        if (!(names[count] = malloc(strlen(dir) + strlen(e->d_name) + 2)))
            break;
        sprintf(names[count++], "%s/%s", dir, e->d_name);
    }
    if (e != NULL) {
        errno = ENOMEM;
        status = fail(dir);
    }
    closedir(d);
    for (size_t i = 0; i < count; i++) {
        status |= remove_path(names[i]);
        free(names[i]);
    }
    free(names);
    return status;
}

static int remove_path(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return fail(path);
    if (!S_ISDIR(st.st_mode))
        return unlink(path) == 0 ? 0 : fail(path);
    if (!recursive) {
        errno = EISDIR;
        return fail(path);
    }
    int status = remove_contents(path);
    if (rmdir(path) != 0)
        status |= fail(path);
    return status;
}

/* Whether the last part of path is "." or "..", or path is "/". */
static bool is_dot(const char *path)
{
    size_t end = strlen(path);
    while (end > 1 && path[end - 1] == '/')
        end--;
    size_t start = end;
    while (start > 0 && path[start - 1] != '/')
        start--;
    return end == start || (end - start == 1 && path[start] == '.') ||
           (end - start == 2 && path[start] == '.' && path[start + 1] == '.');
}

int main(int argc, char **argv)
{
    int opt;
    while ((opt = getopt(argc, argv, "rRf")) != -1) {
        if (opt == 'r' || opt == 'R') {
            recursive = true;
        } else if (opt == 'f') {
            force = true;
        } else {
            fprintf(stderr, "usage: rm [-rf] FILE...\n");
            return 2;
        }
    }
    if (optind == argc && !force) {
        fprintf(stderr, "usage: rm [-rf] FILE...\n");
        return 2;
    }
    int status = 0;
    for (int i = optind; i < argc; i++) {
        if (is_dot(argv[i])) {
            fprintf(stderr, "rm: %s: refusing to remove \".\", \"..\" or \"/\"\n", argv[i]);
            status = 1;
            continue;
        }
        status |= remove_path(argv[i]);
    }
    return status;
}
