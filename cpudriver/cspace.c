/* cspace.c — capability spaces: a root table per dispatcher whose entries are
 * CNode capabilities, each CNode a page run of slots. The first CNode and the
 * root table are kernel memory given at spawn; further CNodes are RAM the
 * domain retyped, so a domain's space grows only with its own memory. Touches
 * only this core's dispatchers. */
#include <arch.h>
#include <cap.h>
#include <dispatch.h>
#include <mem.h>
#include <string.h>

#define ROOT_BYTES ALIGN_UP((CSPACE_L1_SLOTS + CNODE_SLOTS) * sizeof(struct cap), PAGE_SIZE)

static struct cap *cnode_slots(const struct cap *cnode) { return arch_phys_to_virt(cnode->base); }

struct cap *cap_slot(struct dispatcher *d, capaddr_t slot)
{
    if (slot == 0 || slot >= CSPACE_MAX_SLOTS || d->cspace == NULL)
        return NULL;
    const struct cap *cnode = &d->cspace[slot / CNODE_SLOTS];
    if (cnode->type != CAP_CNODE)
        return NULL;
    return &cnode_slots(cnode)[slot % CNODE_SLOTS];
}

err_t cap_get(struct dispatcher *d, capaddr_t slot, enum cap_type type, uint32_t rights,
              struct cap **out)
{
    struct cap *c = cap_slot(d, slot);
    if (c == NULL)
        return ERR_INVAL;
    if (c->type == CAP_NULL)
        return ERR_NOENT;
    if ((type != CAP_NULL && c->type != type) || (c->rights & rights) != rights)
        return ERR_PERM;
    *out = c;
    return OK;
}

/* Puts a detached copy of c, held by d and mapped nowhere, into d's empty
 * slot; *out is where it went. */
static err_t put(struct dispatcher *d, capaddr_t slot, const struct cap *c, struct cap **out)
{
    struct cap *dst = cap_slot(d, slot);
    if (dst == NULL)
        return ERR_INVAL;
    if (dst->type != CAP_NULL)
        return ERR_NOSPACE;
    *dst = *c;
    dst->node = (struct cdt_node){0};
    dst->holder = d;
    dst->mapped_at = 0;
    *out = dst;
    return OK;
}

err_t cap_install(struct dispatcher *d, capaddr_t slot, const struct cap *c)
{
    struct cap *dst;
    return put(d, slot, c, &dst);
}

/* Children are kept in order of base address, which retype's search for a
 * free range relies on. A copy goes before the first child at or above its
 * base: usually the head, so that many copies of one capability cost no walk. */
static struct cdt_node *first_from(struct cap *parent, uint64_t base)
{
    struct cdt_node *n = parent->node.child;
    while (n != NULL && ((struct cap *)n)->base < base)
        n = n->next;
    return n;
}

err_t cap_derive_copy(struct cap *from, struct dispatcher *d, capaddr_t slot, uint32_t rights)
{
    if (from->type == CAP_CNODE)
        return ERR_INVAL; /* one capability per CNode: its slots have one owner */
    struct cap *dst;
    err_t err = put(d, slot, from, &dst);
    if (err != OK)
        return err;
    dst->rights &= (uint8_t)rights;
    dst->flags |= CAP_F_COPY;
    cdt_add_child(&from->node, &dst->node, first_from(from, from->base));
    return OK;
}

err_t cap_derive_part(struct cap *from, struct dispatcher *d, capaddr_t slot, uint64_t offset,
                      uint64_t bytes)
{
    struct cap *dst;
    err_t err = put(d, slot, from, &dst);
    if (err != OK)
        return err;
    dst->base = from->base + offset;
    dst->size = bytes;
    dst->flags |= CAP_F_COPY;
    cdt_add_child(&from->node, &dst->node, first_from(from, dst->base));
    return OK;
}

static void cnode_empty(struct cap *cnode)
{
    struct cap *slots = cnode_slots(cnode);
    for (unsigned i = 0; i < CNODE_SLOTS; i++) {
        if (slots[i].type != CAP_NULL)
            cap_remove(&slots[i]);
    }
}

/* A copy of c that names exactly what c names. */
static struct cap *exact_copy(const struct cap *c)
{
    for (struct cdt_node *n = c->node.child; n != NULL; n = n->next) {
        struct cap *k = (struct cap *)n;
        if ((k->flags & CAP_F_COPY) && k->type == c->type && k->base == c->base &&
            k->size == c->size)
            return k;
    }
    return NULL;
}

void cap_remove(struct cap *c)
{
    if ((c->type == CAP_FRAME || c->type == CAP_DEVFRAME) && c->mapped_at != 0)
        arch_vspace_unmap(c->holder, c->mapped_at, c->size);
    if (c->type == CAP_CNODE)
        cnode_empty(c); /* a CNode in a root table: its slots go with it */
    /* A copy that names the same object inherits c's place: the other things
     * made from c become its children, and it may do what c could (a RAM
     * capability passed on and then deleted by its giver still retypes). */
    struct cap *heir = exact_copy(c);
    if (heir != NULL) {
        cdt_unlink(&heir->node);
        cdt_move(&c->node, &heir->node);
        heir->flags = (uint8_t)((heir->flags & ~CAP_F_COPY) | (c->flags & CAP_F_COPY));
    } else {
        cdt_unlink(&c->node);
    }
    memset(c, 0, sizeof *c);
}

err_t cspace_create(struct dispatcher *d)
{
    paddr_t root = mem_alloc_contiguous(ROOT_BYTES);
    if (root == 0)
        return ERR_NOMEM;
    memset(arch_phys_to_virt(root), 0, ROOT_BYTES);
    d->cspace = arch_phys_to_virt(root);
    d->cspace_phys = root;
    /* Entry 0: the first CNode, right after the root table; no capability
     * names it, so nothing can delete or revoke it but the domain's end. */
    d->cspace[0] = (struct cap){.holder = d,
                                .type = CAP_CNODE,
                                .base = root + CSPACE_L1_SLOTS * sizeof(struct cap),
                                .size = CNODE_SLOTS * sizeof(struct cap)};
    return OK;
}

void cspace_destroy(struct dispatcher *d)
{
    if (d->cspace == NULL)
        return;
    /* The address space goes too: nothing needs unmapping. */
    for (unsigned i = 0; i < CSPACE_L1_SLOTS; i++) {
        struct cap *cnode = &d->cspace[i];
        if (cnode->type != CAP_CNODE)
            continue;
        struct cap *slots = cnode_slots(cnode);
        for (unsigned s = 0; s < CNODE_SLOTS; s++)
            slots[s].mapped_at = 0;
    }
    for (unsigned i = CSPACE_L1_SLOTS; i-- > 0;) {
        if (d->cspace[i].type == CAP_CNODE)
            cap_remove(&d->cspace[i]);
    }
    mem_free_contiguous(d->cspace_phys, ROOT_BYTES);
    d->cspace = NULL;
    d->cspace_phys = 0;
}

bool cspace_any(struct dispatcher *d, bool (*fn)(const struct cap *c, const void *arg),
                const void *arg)
{
    for (unsigned i = 0; d->cspace != NULL && i < CSPACE_L1_SLOTS; i++) {
        const struct cap *cnode = &d->cspace[i];
        if (cnode->type != CAP_CNODE)
            continue;
        if (fn(cnode, arg))
            return true;
        const struct cap *slots = cnode_slots(cnode);
        for (unsigned s = 0; s < CNODE_SLOTS; s++) {
            if (slots[s].type != CAP_NULL && fn(&slots[s], arg))
                return true;
        }
    }
    return false;
}

/* A monitor finds its exports that a revoke waits for: the first slot at or
 * after a[1] whose capability is marked so, or 0 if none. */
struct sysret_value cspace_sys_kernel_revoking(struct dispatcher *d, const uint64_t a[6])
{
    struct cap *k;
    err_t err = cap_get(d, (capaddr_t)a[0], CAP_KERNEL, 0, &k);
    if (err != OK)
        return (struct sysret_value){err, 0};
    for (uint64_t s = a[1] > 0 ? a[1] : 1; s < CSPACE_MAX_SLOTS; s++) {
        if (s % CNODE_SLOTS == 0 && d->cspace[s / CNODE_SLOTS].type != CAP_CNODE) {
            s += CNODE_SLOTS - 1; /* a part of the space not added */
            continue;
        }
        struct cap *c = cap_slot(d, (capaddr_t)s);
        if (c != NULL && (c->flags & CAP_F_REVOKING))
            return (struct sysret_value){OK, s};
    }
    return (struct sysret_value){OK, 0};
}

/* A CNode the domain retyped becomes entry index of its root table: the slots
 * index * CNODE_SLOTS .. + CNODE_SLOTS - 1 exist from now on. */
struct sysret_value cspace_sys_add(struct dispatcher *d, const uint64_t a[6])
{
    struct cap *cnode;
    err_t err = cap_get(d, (capaddr_t)a[0], CAP_CNODE, 0, &cnode);
    if (err != OK)
        return (struct sysret_value){err, 0};
    uint64_t index = a[1];
    if (index == 0 || index >= CSPACE_L1_SLOTS)
        return (struct sysret_value){ERR_INVAL, 0};
    struct cap *entry = &d->cspace[index];
    if (entry->type != CAP_NULL)
        return (struct sysret_value){ERR_NOSPACE, 0};
    *entry = *cnode;
    cdt_move(&cnode->node, &entry->node);
    memset(cnode, 0, sizeof *cnode);
    return (struct sysret_value){OK, index * CNODE_SLOTS};
}
