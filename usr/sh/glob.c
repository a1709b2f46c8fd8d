/* glob.c — expands a word's pattern into the paths it names: the last path
 * component may hold `*` and `?`, the directory before it is taken literally.
 * Reads only directories (opendir), so the host tests run it on a scratch one. */
#include "cmd.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Adds dir + name for each entry of dir that matches base; -1 when out of memory. */
static int collect(const char *dir, const char *base, struct words *found)
{
    DIR *d = opendir(dir[0] != '\0' ? dir : ".");
    if (d == NULL)
        return 0; /* nothing to match in: the word stays as it is */
    size_t dir_len = strlen(dir);
    /* Hidden names only for a pattern that asks for them; "." and ".." never
     * (as bash's globskipdots): `.*` must not name the parent. */
    bool hidden = base[0] == '.' || (base[0] == '\\' && base[1] == '.');
    int rc = 0;
    for (struct dirent *e; rc == 0 && (e = readdir(d)) != NULL;) {
        const char *name = e->d_name;
        if (name[0] == '.' && (!hidden || name[1] == '\0' || strcmp(name, "..") == 0))
            continue;
        if (!glob_match(base, name))
            continue;
        size_t len = strlen(name);
        char *path = malloc(dir_len + len + 1);
        if (path != NULL) {
            memcpy(path, dir, dir_len);
            memcpy(path + dir_len, name, len + 1);
        }
        rc = words_add(found, path);
    }
    closedir(d);
    return rc;
}

int glob_expand(const char *pattern, struct words *out)
{
    const char *slash = strrchr(pattern, '/');
    const char *base = slash != NULL ? slash + 1 : pattern;
    if (!glob_has_magic(base))
        return 0; /* a `*` only in a directory: not expanded (see the header) */
    size_t dir_len = (size_t)(base - pattern);
    char *dir = malloc(dir_len + 1);
    if (dir == NULL)
        return -1;
    memcpy(dir, pattern, dir_len);
    dir[dir_len] = '\0';
    glob_unescape(dir, dir);
    struct words found = {0};
    int rc = collect(dir, base, &found);
    free(dir);
    if (rc == 0 && found.n > 1)
        qsort(found.v, (size_t)found.n, sizeof *found.v, by_name);
    for (int i = 0; rc == 0 && i < found.n; i++) {
        rc = words_add(out, found.v[i]);
        found.v[i] = NULL; /* out owns it now, even on failure */
    }
    int n = found.n;
    words_free(&found);
    return rc < 0 ? -1 : n;
}
