/* find [PATH...] [-name PATTERN] [-type f|d|l|b|c|p|s] — prints every path
 * under each PATH (and PATH itself; "." when none), a directory before what
 * it holds, the names in a directory in byte order. Symbolic links are not
 * followed. -name keeps the paths whose last part matches PATTERN ('*' any
 * run of bytes, '?' any one, '[...]' one of a set, '\' quotes the next), -type
 * those of a type; both must hold when both are given (a test given twice:
 * the last one counts). */
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *name_pattern;
static char type_wanted;

static bool match(const char *p, const char *s);

/* Matches the set that starts at *pp (just after the '['), moving *pp to its
 * closing ']'; false with *pp unchanged if there is no closing ']'. */
static bool match_set(const char **pp, char c, bool *ok)
{
    const char *q = *pp;
    bool negate = *q == '!' || *q == '^';
    if (negate)
        q++;
    bool found = false;
    for (const char *start = q; *q && (*q != ']' || q == start); q++) {
        unsigned char lo = (unsigned char)*q, hi = lo;
        if (q[1] == '-' && q[2] && q[2] != ']') {
            hi = (unsigned char)q[2];
            q += 2;
        }
        if ((unsigned char)c >= lo && (unsigned char)c <= hi)
            found = true;
    }
    if (*q != ']')
        return false;
    *pp = q;
    *ok = found != negate;
    return true;
}

static bool match(const char *p, const char *s)
{
    for (; *p; p++, s++) {
        if (*p == '*') {
            while (*p == '*')
                p++;
            for (;; s++) {
                if (match(p, s))
                    return true;
                if (!*s)
                    return false;
            }
        }
        if (!*s)
            return false;
        if (*p == '?')
            continue;
        bool ok;
        if (*p == '[') {
            const char *q = p + 1;
            if (match_set(&q, *s, &ok)) {
                if (!ok)
                    return false;
                p = q;
                continue;
            }
        }
        if (*p == '\\' && p[1])
            p++;
        if (*p != *s)
            return false;
    }
    return *s == '\0';
}

static char type_letter(mode_t m)
{
    return S_ISREG(m)    ? 'f'
           : S_ISDIR(m)  ? 'd'
           : S_ISLNK(m)  ? 'l'
           : S_ISBLK(m)  ? 'b'
           : S_ISCHR(m)  ? 'c'
           : S_ISFIFO(m) ? 'p'
           : S_ISSOCK(m) ? 's'
                         : '?';
}

static int fail(const char *path)
{
    fprintf(stderr, "find: %s: %s\n", path, strerror(errno));
    return 1;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int walk(const char *path, const char *name)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return fail(path);
    if ((!name_pattern || match(name_pattern, name)) &&
        (!type_wanted || type_letter(st.st_mode) == type_wanted))
        puts(path);
    if (!S_ISDIR(st.st_mode))
        return 0;
    DIR *d = opendir(path);
    if (!d)
        return fail(path);
    char **names = NULL;
    size_t count = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
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
    /* No doubled '/' under a PATH given with a trailing one. */
    const char *sep = path[strlen(path) - 1] == '/' ? "" : "/";
    for (size_t i = 0; i < count; i++) {
        char *child = malloc(strlen(path) + strlen(names[i]) + 2);
        if (child) {
            sprintf(child, "%s%s%s", path, sep, names[i]);
            status |= walk(child, names[i]);
        } else {
            errno = ENOMEM;
            status |= fail(path);
        }
        free(child);
        free(names[i]);
    }
    free(names);
    return status;
}

/* The last part of a starting PATH, which -name looks at: "b" for "a/b/". */
static char *last_part(const char *path)
{
    size_t end = strlen(path);
    while (end > 1 && path[end - 1] == '/')
        end--;
    size_t start = end;
    while (start > 0 && path[start - 1] != '/')
        start--;
    return start == end ? strdup("/") : strndup(path + start, end - start);
}

static int usage(void)
{
    fprintf(stderr, "usage: find [PATH...] [-name PATTERN] [-type f|d|l|b|c|p|s]\n");
    return 2;
}

int main(int argc, char **argv)
{
    int first = 1;
    while (first < argc && argv[first][0] != '-')
        first++;
    for (int i = first; i < argc; i += 2) {
        if (i + 1 >= argc)
            return usage();
        if (strcmp(argv[i], "-name") == 0)
            name_pattern = argv[i + 1];
        else if (strcmp(argv[i], "-type") == 0 && strlen(argv[i + 1]) == 1 &&
                 strchr("fdlbcps", argv[i + 1][0]))
            type_wanted = argv[i + 1][0];
        else
            return usage();
    }
    if (first == 1)
        return walk(".", ".");
    int status = 0;
    for (int i = 1; i < first; i++) {
        char *name = last_part(argv[i]);
        if (argv[i][0] == '\0') {
            errno = ENOENT;
            status |= fail(argv[i]);
        } else if (name) {
            status |= walk(argv[i], name);
        }
        free(name);
    }
    return fflush(stdout) == 0 && status == 0 ? 0 : 1;
}
