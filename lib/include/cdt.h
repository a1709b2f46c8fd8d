/* cdt.h — the capability derivation tree: who was made from whom. One tree
 * per core (the CPU driver's); the nodes live inside the capabilities. It
 * knows nothing of capability types or memory: cap.c decides what a node
 * means, this file only keeps parents, children and siblings consistent.
 * Never allocates; every operation touches only the nodes it names and their
 * neighbours. */
#ifndef CDT_H
#define CDT_H

#include <stdbool.h>
#include <stddef.h>

struct cdt_node {
    struct cdt_node *parent; /* NULL: a root (made by the kernel, not derived) */
    struct cdt_node *child;  /* the first child */
    struct cdt_node *next;   /* siblings, in the order the parent keeps them */
    struct cdt_node *prev;
};

/* child (a detached node) becomes parent's last child, or, with before set
 * (one of parent's children), the child just before it. */
void cdt_add_child(struct cdt_node *parent, struct cdt_node *child, struct cdt_node *before);

/* Takes n out of the tree. Its children take its place among its parent's
 * children, in order (or become roots if n was one): deleting a capability
 * never deletes what was derived from it; revoking does. */
void cdt_unlink(struct cdt_node *n);

/* to (detached) takes from's place in the tree; from ends detached. Used when
 * a capability moves to another slot. */
void cdt_move(struct cdt_node *from, struct cdt_node *to);

/* Whether n lies strictly below ancestor. */
bool cdt_is_descendant(const struct cdt_node *n, const struct cdt_node *ancestor);

/* The descendant of root that follows n in pre-order (starting from n = root),
 * or NULL after the last: a walk over a subtree that changes nothing. */
struct cdt_node *cdt_next_below(const struct cdt_node *root, const struct cdt_node *n);

/* A descendant of n without children of its own (NULL if n has none):
 * revoke deletes these one by one, so it never holds a pointer into a part of
 * the tree that a deletion could change. */
struct cdt_node *cdt_leaf_below(struct cdt_node *n);

/* Deletes every descendant of n and nothing else: each leaf is unlinked and
 * handed to destroy (which may unlink further nodes, never n itself). Returns
 * how many destroy calls there were. */
size_t cdt_revoke(struct cdt_node *n, void (*destroy)(struct cdt_node *leaf, void *ctx), void *ctx);

#endif
