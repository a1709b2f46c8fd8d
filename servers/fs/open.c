/* open.c — the table of open files and each client's holds on them. A
 * handle is an entry's index and its key, which changes each time the entry
 * is used again: a handle of a closed file never reaches its successor. */
#include "open.h"

#include <stdlib.h>
#include <string.h>

static struct ofile *table;
static uint32_t entries, cap_entries, keys;

static err_t holds_add(struct holds *l, uint32_t index)
{
    if (l->n == l->cap) {
        uint32_t cap = l->cap ? 2 * l->cap : 8;
        uint32_t *grown = realloc(l->at, cap * sizeof *grown);
        if (grown == NULL)
            return ERR_NOMEM;
        l->at = grown;
        l->cap = cap;
    }
    l->at[l->n++] = index;
    return OK;
}

static bool holds_remove(struct holds *l, uint32_t index)
{
    for (uint32_t i = 0; i < l->n; i++) {
        if (l->at[i] == index) {
            l->at[i] = l->at[--l->n];
            return true;
        }
    }
    return false;
}

static bool holds_has(const struct holds *l, uint32_t index)
{
    for (uint32_t i = 0; i < l->n; i++)
        if (l->at[i] == index)
            return true;
    return false;
}

/* The entry a handle names, if it is in use with that key. */
static struct ofile *entry_of(uint64_t handle, uint32_t *index)
{
    uint32_t i = (uint32_t)handle;
    if (i >= entries || !table[i].used || table[i].key != (uint32_t)(handle >> 32))
        return NULL;
    *index = i;
    return &table[i];
}

bool fs_busy(const void *fs, uint32_t ino)
{
    for (uint32_t i = 0; i < entries; i++)
        if (table[i].used && table[i].pipe == NULL && table[i].node.m->fs == fs &&
            table[i].node.ino == ino)
            return true;
    return false;
}

bool fs_busy_any(const void *fs)
{
    for (uint32_t i = 0; i < entries; i++)
        if (table[i].used && table[i].pipe == NULL && table[i].node.m->fs == fs)
            return true;
    return false;
}

static void unref(uint32_t index)
{
    struct ofile *f = &table[index];
    if (--f->refs > 0)
        return;
    f->used = false;
    if (f->pipe != NULL) {
        pipe_end_closed(f->pipe, f->pipe_write);
    } else if (!fs_busy(f->node.m->fs, f->node.ino)) {
        struct mount *m = f->node.m;
        (void)m->ops->release(m->fs, f->node.ino); /* an error is the disk's: FS goes on */
    }
}

err_t of_open(struct holder *h, struct vnode node, struct pipe *pipe, bool pipe_write,
              uint32_t flags, uint64_t *handle)
{
    uint32_t i = 0;
    while (i < entries && table[i].used)
        i++;
    if (i == entries) {
        if (entries == cap_entries) {
            uint32_t cap = cap_entries ? 2 * cap_entries : 32;
            struct ofile *grown = realloc(table, cap * sizeof *grown);
            if (grown == NULL)
                return ERR_NOMEM;
            table = grown;
            cap_entries = cap;
        }
        entries++;
    }
    if (holds_add(&h->held, i) != OK) {
        if (i == entries - 1)
            entries--;
        return ERR_NOMEM;
    }
    uint32_t key = ++keys ? keys : ++keys; /* never 0: a handle 0 is none */
    table[i] = (struct ofile){.used = true,
                              .pipe_write = pipe_write,
                              .key = key,
                              .refs = 1,
                              .flags = flags,
                              .node = node,
                              .pipe = pipe};
    *handle = (uint64_t)key << 32 | i;
    return OK;
}

struct ofile *of_held(const struct holder *h, uint64_t handle)
{
    uint32_t i;
    struct ofile *f = entry_of(handle, &i);
    return f != NULL && holds_has(&h->held, i) ? f : NULL;
}

err_t of_close(struct holder *h, uint64_t handle)
{
    uint32_t i;
    if (entry_of(handle, &i) == NULL || !holds_remove(&h->held, i))
        return ERR_BADF;
    unref(i);
    return OK;
}

err_t of_lend(struct holder *h, uint64_t handle)
{
    struct ofile *f = of_held(h, handle);
    if (f == NULL)
        return ERR_BADF;
    if (f->refs == UINT32_MAX)
        return ERR_TOOBIG;
    err_t err = holds_add(&h->lent, (uint32_t)handle);
    if (err == OK)
        f->refs++;
    return err;
}

bool of_lent(const struct holder *h, uint64_t handle)
{
    uint32_t i;
    return entry_of(handle, &i) != NULL && holds_has(&h->lent, i);
}

err_t of_adopt(struct holder *lender, struct holder *h, uint64_t handle)
{
    uint32_t i;
    if (entry_of(handle, &i) == NULL || !holds_has(&lender->lent, i))
        return ERR_BADF;
    err_t err = holds_add(&h->held, i);
    if (err == OK)
        (void)holds_remove(&lender->lent, i); /* the hold moves: refs stay */
    return err;
}

void of_release(struct holder *h)
{
    for (uint32_t i = 0; i < h->held.n; i++)
        unref(h->held.at[i]);
    for (uint32_t i = 0; i < h->lent.n; i++)
        unref(h->lent.at[i]);
    free(h->held.at);
    free(h->lent.at);
    *h = (struct holder){0};
    fs_pipes_changed();
}
