/* cdt.c — the capability derivation tree (see cdt.h). Plain pointer surgery
 * on doubly linked sibling lists; runs in the CPU driver and in host tests
 * alike, so it includes nothing but its header. */
#include <cdt.h>

static void detach_links(struct cdt_node *n) { n->parent = n->next = n->prev = NULL; }

void cdt_add_child(struct cdt_node *parent, struct cdt_node *child, struct cdt_node *before)
{
    child->parent = parent;
    if (before != NULL) {
        child->next = before;
        child->prev = before->prev;
        if (before->prev != NULL)
            before->prev->next = child;
        else
            parent->child = child;
        before->prev = child;
        return;
    }
    child->next = NULL;
    child->prev = NULL;
    if (parent->child == NULL) {
        parent->child = child;
        return;
    }
    struct cdt_node *last = parent->child;
    while (last->next != NULL)
        last = last->next;
    last->next = child;
    child->prev = last;
}

void cdt_unlink(struct cdt_node *n)
{
    struct cdt_node *first = n->child, *last = first;
    for (struct cdt_node *c = first; c != NULL; c = c->next) {
        c->parent = n->parent;
        last = c;
    }
    if (n->parent == NULL) {
        /* A root's children become roots, each on its own. */
        for (struct cdt_node *c = first, *next; c != NULL; c = next) {
            next = c->next;
            c->next = c->prev = NULL;
        }
        first = last = NULL;
    }
    /* Splice the children (if any) into n's place among its siblings. */
    struct cdt_node *before = n->prev, *after = n->next;
    if (first != NULL) {
        first->prev = before;
        last->next = after;
    } else {
        first = after;
        last = before;
    }
    if (before != NULL)
        before->next = first;
    else if (n->parent != NULL)
        n->parent->child = first;
    if (after != NULL)
        after->prev = last;
    n->child = NULL;
    detach_links(n);
}

void cdt_move(struct cdt_node *from, struct cdt_node *to)
{
    *to = *from;
    if (to->prev != NULL)
        to->prev->next = to;
    else if (to->parent != NULL)
        to->parent->child = to;
    if (to->next != NULL)
        to->next->prev = to;
    for (struct cdt_node *c = to->child; c != NULL; c = c->next)
        c->parent = to;
    from->child = NULL;
    detach_links(from);
}

bool cdt_is_descendant(const struct cdt_node *n, const struct cdt_node *ancestor)
{
    for (const struct cdt_node *p = n->parent; p != NULL; p = p->parent) {
        if (p == ancestor)
            return true;
    }
    return false;
}

struct cdt_node *cdt_next_below(const struct cdt_node *root, const struct cdt_node *n)
{
    if (n->child != NULL)
        return n->child;
    for (; n != root; n = n->parent) {
        if (n->next != NULL)
            return n->next;
    }
    return NULL;
}

struct cdt_node *cdt_leaf_below(struct cdt_node *n)
{
    struct cdt_node *leaf = n->child;
    while (leaf != NULL && leaf->child != NULL)
        leaf = leaf->child;
    return leaf;
}

size_t cdt_revoke(struct cdt_node *n, void (*destroy)(struct cdt_node *leaf, void *ctx), void *ctx)
{
    size_t count = 0;
    for (struct cdt_node *leaf; (leaf = cdt_leaf_below(n)) != NULL; count++) {
        cdt_unlink(leaf);
        destroy(leaf, ctx);
    }
    return count;
}
