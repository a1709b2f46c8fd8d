/* cdt_test.c — the derivation tree against a reference model: random
 * sequences of derive (copy or retype), delete, revoke and move, with the
 * whole tree compared to the model after every step.
 *
 * The model is deliberately naive: each node's parent index and an ordered
 * array of children; revoke marks every node whose chain of parents reaches
 * the revoked one. That the comparison can fail is itself tested: the same
 * sequence run with a revoke that deletes only direct children (the kind of
 * mistake that leaves grandchildren alive), or with one that also deletes the
 * revoked node, must be caught (wrong_revoke_is_caught_*). Before the tree
 * was wired into the CPU driver these two variants were also run as the
 * "real" revoke by hand, and the checker reported the step and node. */
#include <cdt.h>
#include <stdbool.h>
#include <stdlib.h>

#include "test.h"

#define NODES 192
#define STEPS 100000
#define SEED  0x5eed2026u

struct node {
    struct cdt_node t;
    bool alive;
    bool destroyed; /* set by the revoke callback */
};

struct model {
    int parent[NODES]; /* -1: root */
    bool alive[NODES];
    int kids[NODES][NODES];
    int nkids[NODES];
};

static struct node nodes[NODES];
static struct model m;
static unsigned rng;
static char why[160];

static unsigned next_rand(void)
{
    rng = rng * 1103515245u + 12345u;
    return (rng >> 8) & 0xffffff;
}

static int idx(const struct cdt_node *t)
{
    return t == NULL ? -1 : (int)((struct node *)t - nodes);
}

static void model_add_kid(int p, int c, int before)
{
    int *k = m.kids[p], n = m.nkids[p], at = n;
    for (int i = 0; before >= 0 && i < n; i++)
        if (k[i] == before)
            at = i;
    for (int i = n; i > at; i--)
        k[i] = k[i - 1];
    k[at] = c;
    m.nkids[p]++;
}

/* n leaves its parent's list; its children (in order) take its place. */
static void model_unlink(int n)
{
    int p = m.parent[n];
    for (int i = 0; i < m.nkids[n]; i++)
        m.parent[m.kids[n][i]] = p;
    if (p >= 0) {
        int at = 0, *k = m.kids[p];
        while (k[at] != n)
            at++;
        int add = m.nkids[n], total = m.nkids[p] - 1 + add;
        int tail[NODES], ntail = m.nkids[p] - at - 1;
        for (int i = 0; i < ntail; i++)
            tail[i] = k[at + 1 + i];
        for (int i = 0; i < add; i++)
            k[at + i] = m.kids[n][i];
        for (int i = 0; i < ntail; i++)
            k[at + add + i] = tail[i];
        m.nkids[p] = total;
    }
    m.nkids[n] = 0;
    m.alive[n] = false;
    m.parent[n] = -1;
}

static bool model_below(int n, int anc)
{
    for (int p = m.parent[n]; p >= 0; p = m.parent[p])
        if (p == anc)
            return true;
    return false;
}

/* Compares tree and model; false with why set on the first difference. */
static bool agree(void)
{
    for (int i = 0; i < NODES; i++) {
        const struct cdt_node *t = &nodes[i].t;
        if (nodes[i].alive != m.alive[i]) {
            snprintf(why, sizeof why, "node %d: alive %d in the tree, %d in the model", i,
                     nodes[i].alive, m.alive[i]);
            return false;
        }
        if (!m.alive[i]) {
            if (t->parent || t->child || t->next || t->prev) {
                snprintf(why, sizeof why, "dead node %d still linked", i);
                return false;
            }
            continue;
        }
        if (idx(t->parent) != m.parent[i]) {
            snprintf(why, sizeof why, "node %d: parent %d, model says %d", i, idx(t->parent),
                     m.parent[i]);
            return false;
        }
        if (t->parent == NULL && (t->next || t->prev)) {
            snprintf(why, sizeof why, "root %d has siblings", i);
            return false;
        }
        int n = 0;
        const struct cdt_node *prev = NULL;
        for (const struct cdt_node *c = t->child; c != NULL; prev = c, c = c->next, n++) {
            if (n >= m.nkids[i] || idx(c) != m.kids[i][n] || c->parent != t || c->prev != prev) {
                snprintf(why, sizeof why, "node %d: child %d is %d, model says %d", i, n, idx(c),
                         n < m.nkids[i] ? m.kids[i][n] : -1);
                return false;
            }
        }
        if (n != m.nkids[i]) {
            snprintf(why, sizeof why, "node %d: %d children, model says %d", i, n, m.nkids[i]);
            return false;
        }
    }
    return true;
}

/* cdt_next_below visits exactly x's descendants, each once. */
static bool walk_agrees(int x)
{
    static bool seen[NODES];
    memset(seen, 0, sizeof seen);
    for (struct cdt_node *n = cdt_next_below(&nodes[x].t, &nodes[x].t); n != NULL;
         n = cdt_next_below(&nodes[x].t, n)) {
        int i = idx(n);
        if (seen[i] || !model_below(i, x)) {
            snprintf(why, sizeof why, "walk below %d visits %d wrongly", x, i);
            return false;
        }
        seen[i] = true;
    }
    for (int i = 0; i < NODES; i++) {
        if (m.alive[i] && model_below(i, x) && !seen[i]) {
            snprintf(why, sizeof why, "walk below %d misses %d", x, i);
            return false;
        }
    }
    return true;
}

static void destroy(struct cdt_node *leaf, void *ctx)
{
    (void)ctx;
    struct node *n = (struct node *)leaf;
    n->destroyed = true;
    n->alive = false;
}

typedef size_t (*revoke_fn)(struct cdt_node *);

static size_t real_revoke(struct cdt_node *n) { return cdt_revoke(n, destroy, NULL); }

/* Wrong on purpose: deletes the children it sees first, leaving their
 * children behind (moved up to n by the deletions). */
static size_t children_only_revoke(struct cdt_node *n)
{
    struct cdt_node *seen[NODES];
    size_t count = 0;
    for (struct cdt_node *c = n->child; c != NULL; c = c->next)
        seen[count++] = c;
    for (size_t i = 0; i < count; i++) {
        cdt_unlink(seen[i]);
        destroy(seen[i], NULL);
    }
    return count;
}

/* Wrong on purpose: takes the revoked node with its descendants. */
static size_t self_too_revoke(struct cdt_node *n)
{
    size_t count = cdt_revoke(n, destroy, NULL);
    cdt_unlink(n);
    destroy(n, NULL);
    return count + 1;
}

static int pick(bool alive)
{
    for (int tries = 0; tries < 4 * NODES; tries++) {
        int i = (int)(next_rand() % NODES);
        if (m.alive[i] == alive)
            return i;
    }
    return -1;
}

static void make(int i, int parent, int before)
{
    nodes[i] = (struct node){.alive = true};
    m.alive[i] = true;
    m.parent[i] = parent;
    m.nkids[i] = 0;
    if (parent >= 0) {
        cdt_add_child(&nodes[parent].t, &nodes[i].t, before >= 0 ? &nodes[before].t : NULL);
        model_add_kid(parent, i, before);
    }
}

/* Runs the random sequence; returns the step at which tree and model first
 * disagree, or -1 if they agree throughout. */
static long run(revoke_fn revoke, long steps)
{
    memset(nodes, 0, sizeof nodes);
    memset(&m, 0, sizeof m);
    for (int i = 0; i < NODES; i++)
        m.parent[i] = -1;
    rng = SEED;
    size_t revoked = 0;
    for (long step = 0; step < steps; step++) {
        unsigned op = next_rand() % 100;
        int x = pick(true), f = pick(false);
        if (op < 5 && f >= 0) { /* a new root: RAM the kernel made */
            make(f, -1, -1);
        } else if (op < 50 && f >= 0 && x >= 0) { /* copy or retype from x */
            int before = -1;
            if (m.nkids[x] > 0 && next_rand() % 2)
                before = m.kids[x][next_rand() % m.nkids[x]];
            make(f, x, before);
        } else if (op < 75 && x >= 0) { /* delete one capability */
            cdt_unlink(&nodes[x].t);
            nodes[x].alive = false;
            model_unlink(x);
        } else if (op < 90 && x >= 0) { /* revoke: its descendants go */
            for (int i = 0; i < NODES; i++)
                nodes[i].destroyed = false;
            size_t n = revoke(&nodes[x].t);
            size_t expect = 0;
            for (int i = 0; i < NODES; i++) {
                if (m.alive[i] && model_below(i, x)) {
                    expect++;
                    m.alive[i] = false;
                }
            }
            for (int i = 0; i < NODES; i++) {
                if (!m.alive[i] && m.nkids[i] > 0 && i != x)
                    m.nkids[i] = 0;
                if (!m.alive[i])
                    m.parent[i] = -1;
            }
            m.nkids[x] = 0;
            revoked += n;
            if (n != expect) {
                snprintf(why, sizeof why, "revoke of %d deleted %zu, model %zu", x, n, expect);
                return step;
            }
        } else if (x >= 0 && f >= 0) { /* the capability moves to another slot */
            nodes[f] = nodes[x];
            cdt_move(&nodes[x].t, &nodes[f].t);
            nodes[x].alive = false;
            m.alive[f] = true;
            m.alive[x] = false;
            m.parent[f] = m.parent[x];
            m.parent[x] = -1;
            m.nkids[f] = m.nkids[x];
            memcpy(m.kids[f], m.kids[x], sizeof m.kids[x]);
            m.nkids[x] = 0;
            for (int i = 0; i < m.nkids[f]; i++)
                m.parent[m.kids[f][i]] = f;
            int p = m.parent[f];
            for (int i = 0; p >= 0 && i < m.nkids[p]; i++)
                if (m.kids[p][i] == x)
                    m.kids[p][i] = f;
        }
        if (!agree())
            return step;
        if (x >= 0 && m.alive[x] && !walk_agrees(x))
            return step;
    }
    return revoked > 1000 ? -1 : 0; /* a run that revoked almost nothing proves little */
}

TEST(random_sequences_match_the_model)
{
    long bad = run(real_revoke, STEPS);
    if (bad >= 0)
        test_fail(__FILE__, __LINE__, "step %ld: %s", bad, why);
}

TEST(wrong_revoke_is_caught_children_only) { CHECK(run(children_only_revoke, STEPS) >= 0); }

TEST(wrong_revoke_is_caught_self_too) { CHECK(run(self_too_revoke, STEPS) >= 0); }

TEST(delete_keeps_grandchildren_in_order)
{
    struct node a = {0}, b = {0}, c = {0}, d = {0}, e = {0};
    cdt_add_child(&a.t, &b.t, NULL);
    cdt_add_child(&a.t, &e.t, NULL);
    cdt_add_child(&b.t, &c.t, NULL);
    cdt_add_child(&b.t, &d.t, NULL);
    cdt_unlink(&b.t);
    CHECK(a.t.child == &c.t && c.t.next == &d.t && d.t.next == &e.t && e.t.next == NULL);
    CHECK(c.t.parent == &a.t && d.t.parent == &a.t && e.t.prev == &d.t && c.t.prev == NULL);
    CHECK(!cdt_is_descendant(&c.t, &b.t) && cdt_is_descendant(&c.t, &a.t));
}

TEST(revoke_of_a_leaf_deletes_nothing)
{
    struct node a = {0}, b = {0};
    cdt_add_child(&a.t, &b.t, NULL);
    CHECK_EQ(cdt_revoke(&b.t, destroy, NULL), 0);
    CHECK(a.t.child == &b.t);
    CHECK_EQ(cdt_revoke(&a.t, destroy, NULL), 1);
    CHECK(a.t.child == NULL && b.destroyed);
}
