/* cspace_add.c — how a domain's capability space grows when the slot
 * allocator has handed out every slot: a CNode retyped from the domain's own
 * RAM (its first RAM while that lasts, then RAM from the source it names)
 * joins the root table as the next entry. Works with no free slot: the two
 * scratch slots are well-known and used only here. */
#include <slot_alloc.h>
#include <sys.h>

static err_t new_cnode(cspace_ram_fn ram)
{
    err_t err = cap_retype(CAP_SLOT_RAM, CAP_SLOT_GROW_CNODE, CAP_CNODE, CNODE_BYTES, NULL);
    if (err != ERR_NOMEM)
        return err;
    if ((err = ram(CNODE_BYTES, CAP_SLOT_GROW_RAM)) != OK)
        return err;
    err = cap_retype(CAP_SLOT_GROW_RAM, CAP_SLOT_GROW_CNODE, CAP_CNODE, CNODE_BYTES, NULL);
    /* The CNode keeps its memory; the RAM capability is not needed again. */
    (void)cap_delete(CAP_SLOT_GROW_RAM);
    return err;
}

err_t cspace_grow_from(cspace_ram_fn ram, capaddr_t *new_limit)
{
    capaddr_t limit = slot_limit();
    unsigned entry = limit / CNODE_SLOTS;
    if (limit % CNODE_SLOTS != 0 || entry >= CSPACE_L1_SLOTS)
        return ERR_NOSPACE;
    err_t err = new_cnode(ram);
    capaddr_t first;
    if (err == OK && (err = cspace_add_cnode(CAP_SLOT_GROW_CNODE, entry, &first)) != OK)
        (void)cap_delete(CAP_SLOT_GROW_CNODE);
    if (err != OK)
        return err == ERR_NOMEM ? ERR_NOMEM : ERR_NOSPACE;
    *new_limit = first + CNODE_SLOTS;
    return OK;
}
