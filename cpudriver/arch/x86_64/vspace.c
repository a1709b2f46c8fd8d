/* vspace.c — user address spaces: a PML4 per domain whose lower half is the
 * domain's and whose upper half repeats this core's kernel mappings. Frames for
 * tables come from this core's allocator; everything is freed with the domain. */
#include <arch.h>
#include <arch/layout.h>
#include <arch/pte.h>
#include <bootinfo.h>
#include <dispatch.h>
#include <mem.h>

#include "x86.h"

static uint64_t *table(paddr_t p) { return arch_phys_to_virt(p); }

err_t arch_vspace_create(struct dispatcher *d)
{
    paddr_t root = mem_alloc_frame();
    if (root == 0)
        return ERR_NOMEM;
    const uint64_t *kernel = table(boot_self()->arch.pml4);
    for (unsigned i = 256; i < 512; i++)
        table(root)[i] = kernel[i];
    d->vspace_root = root;
    return OK;
}

/* The leaf entry for va, creating tables on the way if asked; NULL if absent. */
static uint64_t *walk(paddr_t root, uvaddr_t va, bool create)
{
    uint64_t *t = table(root);
    const unsigned shifts[3] = {39, 30, 21};
    for (int level = 0; level < 3; level++) {
        uint64_t *e = &t[(va >> shifts[level]) & 511];
        if (!(*e & PTE_P)) {
            if (!create)
                return NULL;
            paddr_t f = mem_alloc_frame();
            if (f == 0)
                return NULL;
            *e = f | PTE_P | PTE_W | PTE_U;
        }
        t = table(*e & PTE_ADDR);
    }
    return &t[PT_INDEX(va)];
}

static err_t map_leaf(struct dispatcher *d, uvaddr_t va, uint64_t entry)
{
    if (va >= USER_TOP || (va & PAGE_MASK))
        return ERR_INVAL;
    uint64_t *pte = walk(d->vspace_root, va, true);
    if (pte == NULL)
        return ERR_NOMEM;
    if (*pte & PTE_P)
        return ERR_INVAL;
    *pte = entry;
    return OK;
}

err_t arch_vspace_map(struct dispatcher *d, uvaddr_t va, paddr_t pa, bool writable, bool executable)
{
    if (pa & PAGE_MASK)
        return ERR_INVAL;
    return map_leaf(
        d, va, pa | PTE_P | PTE_U | PTE_OWNED | (writable ? PTE_W : 0) | (executable ? 0 : PTE_NX));
}

err_t arch_vspace_map_device(struct dispatcher *d, uvaddr_t va, paddr_t pa, bool writable,
                             bool uncached)
{
    if (pa & PAGE_MASK)
        return ERR_INVAL;
    return map_leaf(d, va,
                    pa | PTE_P | PTE_U | PTE_NX | (writable ? PTE_W : 0) |
                        (uncached ? PTE_PCD | PTE_PWT : 0));
}

void arch_vspace_unmap(struct dispatcher *d, uvaddr_t va, uint64_t bytes)
{
    for (uint64_t off = 0; off < bytes; off += PAGE_SIZE) {
        uint64_t *pte = walk(d->vspace_root, va + off, false);
        if (pte == NULL || !(*pte & PTE_P))
            continue;
        *pte = 0;
        __asm__ volatile("invlpg (%0)" ::"r"(va + off) : "memory");
    }
}

err_t arch_vspace_lookup(struct dispatcher *d, uvaddr_t va, bool write, paddr_t *pa)
{
    if (va >= USER_TOP || d->vspace_root == 0)
        return ERR_FAULT;
    uint64_t *pte = walk(d->vspace_root, va, false);
    if (pte == NULL || (*pte & (PTE_P | PTE_U)) != (PTE_P | PTE_U) || (write && !(*pte & PTE_W)))
        return ERR_FAULT;
    *pa = (*pte & PTE_ADDR) | (va & PAGE_MASK);
    return OK;
}

static void free_level(paddr_t t, int level)
{
    for (unsigned i = 0; i < 512; i++) {
        uint64_t e = table(t)[i];
        if (!(e & PTE_P))
            continue;
        if (level < 3)
            free_level(e & PTE_ADDR, level + 1);
        else if (e & PTE_OWNED)
            mem_free_frame(e & PTE_ADDR); /* not frames a capability named */
    }
    mem_free_frame(t);
}

void arch_vspace_destroy(struct dispatcher *d)
{
    paddr_t root = d->vspace_root;
    if (root == 0)
        return;
    if (x86_read_cr3() == root)
        x86_write_cr3(boot_self()->arch.pml4);
    for (unsigned i = 0; i < 256; i++) {
        uint64_t e = table(root)[i];
        if (e & PTE_P)
            free_level(e & PTE_ADDR, 1);
    }
    mem_free_frame(root);
    d->vspace_root = 0;
}
