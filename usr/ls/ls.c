/* ls [-lad] [FILE...] — lists files, one a line, sorted by name in byte
 * order. A directory operand is listed by what it holds (names that start
 * with "." only with -a), unless -d; with several operands, files come first,
 * then each directory under a "NAME:" line. -l gives each as
 * "MODE LINKS UID GID SIZE NAME", and " -> TARGET" for a symbolic link. */
#include "mode.h"

#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool long_form, all, dirs_as_files;

static int fail(const char *path)
{
    fprintf(stderr, "ls: %s: %s\n", path, strerror(errno));
    return 1;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Prints one entry: name as shown, path to reach it. */
static int show(const char *name, const char *path)
{
    if (!long_form) {
        puts(name);
        return 0;
    }
    struct stat st;
    if (lstat(path, &st) != 0)
        return fail(path);
    char mode[11];
    mode_string(st.st_mode, mode);
    printf("%s %lu %lu %lu %ld %s", mode, (unsigned long)st.st_nlink, (unsigned long)st.st_uid,
           (unsigned long)st.st_gid, (long)st.st_size, name);
    if (S_ISLNK(st.st_mode)) {
        char target[4096];
        ssize_t n = readlink(path, target, sizeof target - 1);
        if (n < 0)
            return fail(path);
        printf(" -> %.*s", (int)n, target);
    }
    putchar('\n');
    return 0;
}

static int list_dir(const char *path)
{
    DIR *d = opendir(path);
    if (!d)
        return fail(path);
    char **names = NULL;
    size_t count = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.' && !all)
            continue;
        if (count == cap) {
            cap = cap ? 2 * cap : 32;
            char **p = realloc(names, cap * sizeof *names);
            if (!p)
                break;
            names = p;
        }
        if (!(names[count] = strdup(e->d_name)))
            break;
        count++;
    }
    int status = 0;
    if (e != NULL) {
        errno = ENOMEM;
        status = fail(path);
    }
    closedir(d);
    qsort(names, count, sizeof *names, by_name);
    for (size_t i = 0; i < count; i++) {
        char *child = malloc(strlen(path) + strlen(names[i]) + 2);
        if (child) {
            sprintf(child, "%s/%s", path, names[i]);
            status |= show(names[i], child);
        }
        free(child);
        free(names[i]);
    }
    free(names);
    return status;
}

int main(int argc, char **argv)
{
    int opt;
    while ((opt = getopt(argc, argv, "lad")) != -1) {
        if (opt == 'l') {
            long_form = true;
        } else if (opt == 'a') {
            all = true;
        } else if (opt == 'd') {
            dirs_as_files = true;
        } else {
            fprintf(stderr, "usage: ls [-lad] [FILE...]\n");
            return 2;
        }
    }
    char *dot[] = {"."};
    char **ops = optind < argc ? argv + optind : dot;
    int n = optind < argc ? argc - optind : 1;
    qsort(ops, (size_t)n, sizeof *ops, by_name);
    /* Files first, then directories: a directory operand is one that is a
     * directory, following a symbolic link unless -l or -d asks for it. */
    bool *is_dir = calloc((size_t)n, sizeof *is_dir);
    if (!is_dir) {
        errno = ENOMEM;
        return fail("ls");
    }
    int status = 0, files = 0;
    for (int i = 0; i < n; i++) {
        struct stat st;
        int r = long_form || dirs_as_files ? lstat(ops[i], &st) : stat(ops[i], &st);
        if (r != 0 && lstat(ops[i], &st) != 0) {
            status |= fail(ops[i]);
            continue;
        }
        is_dir[i] = S_ISDIR(st.st_mode) && !dirs_as_files;
        if (!is_dir[i]) {
            status |= show(ops[i], ops[i]);
            files++;
        }
    }
    bool first = files == 0;
    for (int i = 0; i < n; i++) {
        if (!is_dir[i])
            continue;
        if (n > 1)
            printf("%s%s:\n", first ? "" : "\n", ops[i]);
        first = false;
        status |= list_dir(ops[i]);
    }
    free(is_dir);
    return fflush(stdout) == 0 && status == 0 ? 0 : 1;
}
