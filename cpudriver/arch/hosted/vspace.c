/* vspace.c — a hosted domain's address space as the kernel keeps it: four
 * levels of tables in this core's frames, as on x86-64, walked only by the
 * kernel. The domain's process maps a page when it first touches it
 * (hosted_vspace_extent answers where it is) and drops what the kernel
 * unmaps before it runs its program again. */
#include <arch.h>
#include <arch/layout.h>
#include <mem.h>
#include <sys/mman.h>

#include "hosted.h"

#define E_PRESENT 1ull
#define E_WRITE   2ull
#define E_EXEC    4ull
#define E_OWNED   8ull  /* the domain's own frame, freed with it */
#define E_DEVICE  16ull /* device registers: never mapped, each access done here */
#define E_ADDR    (~PAGE_MASK)

static uint64_t *table(paddr_t p) { return arch_phys_to_virt(p); }

err_t arch_vspace_create(struct dispatcher *d)
{
    paddr_t root = mem_alloc_frame();
    paddr_t page = mem_alloc_frame();
    if (root == 0 || page == 0) {
        if (root != 0)
            mem_free_frame(root);
        return ERR_NOMEM;
    }
    d->vspace_root = root;
    d->arch = (struct arch_dispatcher){.page = page};
    return OK;
}

/* The leaf entry for va, creating tables on the way if asked; NULL if absent. */
static uint64_t *walk(paddr_t root, uvaddr_t va, bool create)
{
    uint64_t *t = table(root);
    const unsigned shifts[3] = {39, 30, 21};
    for (int level = 0; level < 3; level++) {
        uint64_t *e = &t[(va >> shifts[level]) & 511];
        if (!(*e & E_PRESENT)) {
            if (!create)
                return NULL;
            paddr_t f = mem_alloc_frame();
            if (f == 0)
                return NULL;
            *e = f | E_PRESENT;
        }
        t = table(*e & E_ADDR);
    }
    return &t[(va >> 12) & 511];
}

/* A page of RAM, or with E_DEVICE a page of device registers. */
static err_t map_leaf(struct dispatcher *d, uvaddr_t va, paddr_t pa, uint64_t flags)
{
    bool ram = pa >= HOSTED_RAM_BASE && pa < hosted_ram_bytes;
    if (va >= USER_TOP || (va & PAGE_MASK) || (pa & PAGE_MASK) ||
        !(flags & E_DEVICE ? hosted_device_page(pa) : ram))
        return ERR_INVAL;
    uint64_t *e = walk(d->vspace_root, va, true);
    if (e == NULL)
        return ERR_NOMEM;
    if (*e & E_PRESENT)
        return ERR_INVAL;
    *e = pa | flags | E_PRESENT;
    return OK;
}

err_t arch_vspace_map(struct dispatcher *d, uvaddr_t va, paddr_t pa, bool writable, bool executable)
{
    return map_leaf(d, va, pa, E_OWNED | (writable ? E_WRITE : 0) | (executable ? E_EXEC : 0));
}

err_t arch_vspace_map_device(struct dispatcher *d, uvaddr_t va, paddr_t pa, bool writable,
                             bool uncached)
{
    (void)uncached;
    uint64_t flags = (writable ? E_WRITE : 0) | (hosted_device_page(pa) ? E_DEVICE : 0);
    return map_leaf(d, va, pa, flags);
}

void arch_vspace_unmap(struct dispatcher *d, uvaddr_t va, uint64_t bytes)
{
    for (uint64_t off = 0; off < bytes; off += PAGE_SIZE) {
        uint64_t *e = walk(d->vspace_root, va + off, false);
        if (e != NULL)
            *e = 0;
    }
    hosted_domain_unmapped(d, va, bytes);
}

err_t arch_vspace_lookup(struct dispatcher *d, uvaddr_t va, bool write, paddr_t *pa)
{
    if (va >= USER_TOP || d->vspace_root == 0)
        return ERR_FAULT;
    uint64_t *e = walk(d->vspace_root, va, false);
    if (e == NULL || !(*e & E_PRESENT) || (write && !(*e & E_WRITE)))
        return ERR_FAULT;
    *pa = (*e & E_ADDR) | (va & PAGE_MASK);
    return OK;
}

static int prot_of(uint64_t e)
{
    return PROT_READ | (e & E_WRITE ? PROT_WRITE : 0) | (e & E_EXEC ? PROT_EXEC : 0);
}

enum hosted_extent hosted_vspace_extent(struct dispatcher *d, uvaddr_t va, bool write,
                                        uvaddr_t *start, paddr_t *pa, uint64_t *bytes, int *prot)
{
    uvaddr_t at = va;
    va &= ~PAGE_MASK;
    if (va >= USER_TOP || d->vspace_root == 0)
        return EXTENT_NONE;
    uint64_t *e = walk(d->vspace_root, va, false);
    if (e == NULL || !(*e & E_PRESENT) || (write && !(*e & E_WRITE)))
        return EXTENT_NONE;
    if (*e & E_DEVICE) {
        *pa = (*e & E_ADDR & ~E_DEVICE) | (at & PAGE_MASK);
        return EXTENT_DEVICE;
    }
    uint64_t flags = *e & (E_WRITE | E_EXEC);
    paddr_t first = *e & E_ADDR;
    uint64_t n = 1;
    /* The rest of its table that follows on: same rights, the next frame. */
    for (unsigned i = ((va >> 12) & 511) + 1; i < 512; i++, n++) {
        uint64_t next = e[n];
        if (!(next & E_PRESENT) || (next & (E_WRITE | E_EXEC | E_DEVICE)) != flags ||
            (next & E_ADDR) != first + n * PAGE_SIZE)
            break;
    }
    *start = va;
    *pa = first;
    *bytes = n * PAGE_SIZE;
    *prot = prot_of(*e);
    return EXTENT_MEMORY;
}

static void free_level(paddr_t t, int level)
{
    for (unsigned i = 0; i < 512; i++) {
        uint64_t e = table(t)[i];
        if (!(e & E_PRESENT))
            continue;
        if (level < 3)
            free_level(e & E_ADDR, level + 1);
        else if ((e & E_OWNED) && !(e & E_DEVICE))
            mem_free_frame(e & E_ADDR); /* not frames a capability named */
    }
    mem_free_frame(t);
}

void arch_vspace_destroy(struct dispatcher *d)
{
    hosted_domain_end(d);
    if (d->vspace_root != 0)
        free_level(d->vspace_root, 0);
    d->vspace_root = 0;
    if (d->arch.page != 0)
        mem_free_frame(d->arch.page);
    d->arch.page = 0;
}
