/* vspace.c — user address spaces on Sv39: a root table per domain whose lower
 * half is the domain's and whose upper half repeats this core's kernel
 * mappings. Tables come from this core's allocator and go back with the domain. */
#include <arch.h>
#include <arch/layout.h>
#include <arch/pte.h>
#include <bootinfo.h>
#include <dispatch.h>
#include <mem.h>

#include "riscv.h"

static uint64_t *table(paddr_t p) { return arch_phys_to_virt(p); }

err_t arch_vspace_create(struct dispatcher *d)
{
    paddr_t root = mem_alloc_frame();
    if (root == 0)
        return ERR_NOMEM;
    const uint64_t *kernel = table(boot_self()->arch.root);
    for (unsigned i = 256; i < 512; i++)
        table(root)[i] = kernel[i];
    d->vspace_root = root;
    return OK;
}

static uint64_t *walk(paddr_t root, uvaddr_t va, bool create)
{
    uint64_t *t = table(root);
    for (int shift = 30; shift >= 21; shift -= 9) {
        uint64_t *e = &t[(va >> shift) & 511];
        if (!(*e & PTE_V)) {
            if (!create)
                return NULL;
            paddr_t f = mem_alloc_frame();
            if (f == 0)
                return NULL;
            *e = PTE_FROM_PA(f) | PTE_V;
        } else if (*e & PTE_LEAF) {
            return NULL; /* a huge page: never in user space */
        }
        t = table(PTE_TO_PA(*e));
    }
    return &t[VPN0(va)];
}

static err_t map_leaf(struct dispatcher *d, uvaddr_t va, paddr_t pa, uint64_t flags)
{
    if (va >= USER_TOP || (va & PAGE_MASK) || (pa & PAGE_MASK))
        return ERR_INVAL;
    uint64_t *pte = walk(d->vspace_root, va, true);
    if (pte == NULL)
        return ERR_NOMEM;
    if (*pte & PTE_V)
        return ERR_INVAL;
    *pte = PTE_FROM_PA(pa) | PTE_V | PTE_U | PTE_R | PTE_A | PTE_D | flags;
    return OK;
}

err_t arch_vspace_map(struct dispatcher *d, uvaddr_t va, paddr_t pa, bool writable, bool executable)
{
    return map_leaf(d, va, pa, PTE_OWNED | (writable ? PTE_W : 0) | (executable ? PTE_X : 0));
}

err_t arch_vspace_map_device(struct dispatcher *d, uvaddr_t va, paddr_t pa, bool writable,
                             bool uncached)
{
    (void)uncached; /* the virt machine's PMAs make device memory uncached already */
    return map_leaf(d, va, pa, writable ? PTE_W : 0);
}

void arch_vspace_unmap(struct dispatcher *d, uvaddr_t va, uint64_t bytes)
{
    for (uint64_t off = 0; off < bytes; off += PAGE_SIZE) {
        uint64_t *pte = walk(d->vspace_root, va + off, false);
        if (pte != NULL)
            *pte = 0;
    }
    __asm__ volatile("sfence.vma" ::: "memory");
}

err_t arch_vspace_lookup(struct dispatcher *d, uvaddr_t va, bool write, paddr_t *pa)
{
    if (va >= USER_TOP || d->vspace_root == 0)
        return ERR_FAULT;
    uint64_t *pte = walk(d->vspace_root, va, false);
    if (pte == NULL || (*pte & (PTE_V | PTE_U | PTE_R)) != (PTE_V | PTE_U | PTE_R) ||
        (write && !(*pte & PTE_W)))
        return ERR_FAULT;
    *pa = PTE_TO_PA(*pte) | (va & PAGE_MASK);
    return OK;
}

static void free_level(paddr_t t, int level)
{
    for (unsigned i = 0; i < 512; i++) {
        uint64_t e = table(t)[i];
        if (!(e & PTE_V))
            continue;
        if (level < 2)
            free_level(PTE_TO_PA(e), level + 1);
        else if (e & PTE_OWNED)
            mem_free_frame(PTE_TO_PA(e)); /* not frames a capability named */
    }
    mem_free_frame(t);
}

void arch_vspace_destroy(struct dispatcher *d)
{
    paddr_t root = d->vspace_root;
    if (root == 0)
        return;
    uint64_t own = (8ull << 60) | (root >> 12);
    if (csr_read(satp) == own) {
        csr_write(satp, (8ull << 60) | (boot_self()->arch.root >> 12));
        __asm__ volatile("sfence.vma" ::: "memory");
    }
    for (unsigned i = 0; i < 256; i++) {
        uint64_t e = table(root)[i];
        if (e & PTE_V)
            free_level(PTE_TO_PA(e), 1);
    }
    mem_free_frame(root);
    d->vspace_root = 0;
}
