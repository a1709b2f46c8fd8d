/* words.c — growable string arrays (argument lists, glob matches): they double
 * as they fill, so no command has a fixed limit on its words. Calls no OS. */
#include "cmd.h"

#include <stdlib.h>
#include <string.h>

int words_add(struct words *w, char *s)
{
    if (s == NULL)
        return -1;
    /* One slot more than the words, for the NULL that ends an argv. */
    if (w->n + 1 >= w->cap) {
        int cap = w->cap == 0 ? 8 : 2 * w->cap;
        char **v = realloc(w->v, (size_t)cap * sizeof *v);
        if (v == NULL) {
            free(s);
            return -1;
        }
        w->v = v;
        w->cap = cap;
    }
    w->v[w->n++] = s;
    w->v[w->n] = NULL;
    return 0;
}

int words_add_copy(struct words *w, const char *s, size_t len)
{
    char *copy = malloc(len + 1);
    if (copy != NULL) {
        memcpy(copy, s, len);
        copy[len] = '\0';
    }
    return words_add(w, copy);
}

void words_free(struct words *w)
{
    for (int i = 0; i < w->n; i++)
        free(w->v[i]);
    free(w->v);
    *w = (struct words){0};
}
