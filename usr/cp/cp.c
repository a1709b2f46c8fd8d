/* cp [-r] SOURCE DEST, cp [-r] SOURCE... DIR — copies files to DEST (or to
 * DIR/the last part of each SOURCE). A directory needs -r, which copies what
 * it holds too, and copies symbolic links as links rather than what they
 * point to. New files get the source's permissions less the umask. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool recursive;
static mode_t creation_mask; /* the umask, which a new directory's mode obeys */
/* The directory made for the current operand: a source entry that is this
 * directory is a copy of a directory into itself, and is not followed. */
static struct stat top;
static bool have_top;

static int fail(const char *path)
{
    fprintf(stderr, "cp: %s: %s\n", path, strerror(errno));
    return 1;
}

static char *join(const char *dir, const char *name)
{
    char *p = malloc(strlen(dir) + strlen(name) + 2);
    if (p)
        sprintf(p, "%s/%s", dir, name);
    return p;
}

static int copy_data(int in, const char *src, int out, const char *dest)
{
    static char buf[65536];
    for (;;) {
        ssize_t n = read(in, buf, sizeof buf);
        if (n == 0)
            return 0;
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return fail(src);
        for (ssize_t done = 0; done < n;) {
            ssize_t w = write(out, buf + done, (size_t)(n - done));
            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0)
                return fail(dest);
            done += w;
        }
    }
}

static int copy_file(const char *src, const char *dest, const struct stat *st)
{
    struct stat d;
    if (stat(dest, &d) == 0 && d.st_dev == st->st_dev && d.st_ino == st->st_ino) {
        fprintf(stderr, "cp: %s and %s are the same file\n", src, dest);
        return 1;
    }
    int in = open(src, O_RDONLY);
    if (in < 0)
        return fail(src);
    int out = open(dest, O_WRONLY | O_CREAT | O_TRUNC, st->st_mode & 0777);
    if (out < 0) {
        close(in);
        return fail(dest);
    }
    int status = copy_data(in, src, out, dest);
    close(in);
    if (close(out) != 0 && status == 0)
        status = fail(dest);
    return status;
}

static int copy_link(const char *src, const char *dest)
{
    char target[4096];
    ssize_t n = readlink(src, target, sizeof target - 1);
    if (n < 0)
        return fail(src);
    target[n] = '\0';
    return symlink(target, dest) == 0 ? 0 : fail(dest);
}

static int copy_path(const char *src, const char *dest);

static int copy_dir(const char *src, const char *dest, const struct stat *st)
{
    struct stat d;
    /* Made writable for us first; its own mode is set once it is full. One
     * that was there already keeps its mode. */
    bool made = mkdir(dest, (st->st_mode & 0777) | 0700) == 0;
    if (!made && !(errno == EEXIST && stat(dest, &d) == 0 && S_ISDIR(d.st_mode)))
        return fail(dest);
    if (!have_top && stat(dest, &top) == 0)
        have_top = true;
    DIR *dir = opendir(src);
    if (!dir)
        return fail(src);
    int status = 0;
    struct dirent *e;
    while ((e = readdir(dir)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char *from = join(src, e->d_name), *to = join(dest, e->d_name);
        if (!from || !to) {
            errno = ENOMEM;
            status = fail(src);
        } else if (lstat(from, &d) == 0 && have_top && d.st_dev == top.st_dev &&
                   d.st_ino == top.st_ino) {
            fprintf(stderr, "cp: %s: cannot copy a directory into itself\n", from);
            status = 1;
        } else {
            status |= copy_path(from, to);
        }
        free(from);
        free(to);
    }
    closedir(dir);
    if (made && chmod(dest, st->st_mode & 0777 & ~creation_mask) != 0)
        status |= fail(dest);
    return status;
}

static int copy_path(const char *src, const char *dest)
{
    struct stat st;
    if ((recursive ? lstat(src, &st) : stat(src, &st)) != 0)
        return fail(src);
    if (S_ISDIR(st.st_mode) && !recursive) {
        errno = EISDIR;
        return fail(src);
    }
    if (S_ISDIR(st.st_mode))
        return copy_dir(src, dest, &st);
    if (S_ISLNK(st.st_mode))
        return copy_link(src, dest);
    return copy_file(src, dest, &st);
}

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

int main(int argc, char **argv)
{
    int opt;
    while ((opt = getopt(argc, argv, "rR")) != -1) {
        if (opt != 'r' && opt != 'R') {
            fprintf(stderr, "usage: cp [-r] SOURCE DEST | cp [-r] SOURCE... DIR\n");
            return 2;
        }
        recursive = true;
    }
    if (argc - optind < 2) {
        fprintf(stderr, "usage: cp [-r] SOURCE DEST | cp [-r] SOURCE... DIR\n");
        return 2;
    }
    creation_mask = umask(0);
    umask(creation_mask);
    const char *target = argv[argc - 1];
    struct stat st;
    bool into_dir = stat(target, &st) == 0 && S_ISDIR(st.st_mode);
    if (!into_dir && argc - optind > 2) {
        errno = ENOTDIR;
        return fail(target);
    }
    if (!into_dir)
        return copy_path(argv[optind], target);
    int status = 0;
    for (int i = optind; i < argc - 1; i++) {
        char *name = last_part(argv[i]);
        char *dest = name ? join(target, name) : NULL;
        if (!dest) {
            errno = ENOMEM;
            return fail(argv[i]);
        }
        have_top = false;
        status |= copy_path(argv[i], dest);
        free(dest);
        free(name);
    }
    return status;
}
