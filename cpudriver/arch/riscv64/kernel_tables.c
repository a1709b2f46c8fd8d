/* kernel_tables.c — one core's Sv39 kernel page tables:
 *   KERNEL_VBASE + image   4 KiB pages: .boot and text read-execute, rodata and
 *                          the .data template read-only
 *   CORE_DATA_VBASE        4 KiB pages: this core's own .data/.bss, read-write
 *   DIRECT_VBASE + phys    1 GiB pages over RAM and MMIO, read-write
 * A pure function of its inputs (no globals), like the x86-64 one. */
#include <arch/layout.h>
#include <arch/pte.h>

#include "riscv.h"

extern char __text_start[], __text_end[], __rodata_start[];

#define GIB      (1ull << 30)
#define MIB2     (1ull << 21)
#define IMAGE_L0 4 /* the image may span up to 8 MiB */

unsigned riscv_kernel_tables_pages(void) { return 1 + 1 + IMAGE_L0 + 2; }

struct pool {
    paddr_t next, end;
    uint64_t access;
};

static paddr_t take(struct pool *p)
{
    if (p->next >= p->end)
        return 0;
    paddr_t f = p->next;
    p->next += PAGE_SIZE;
    uint64_t *t = (uint64_t *)(f + p->access);
    for (unsigned i = 0; i < 512; i++)
        t[i] = 0;
    return f;
}

static uint64_t *table(const struct pool *p, paddr_t f) { return (uint64_t *)(f + p->access); }

static uint64_t image_flags(lvaddr_t va)
{
    if (va >= (lvaddr_t)__text_start && va < (lvaddr_t)__text_end)
        return PTE_R | PTE_X;
    if (va >= (lvaddr_t)__rodata_start)
        return PTE_R;
    return PTE_R | PTE_X; /* .boot */
}

paddr_t riscv_kernel_tables_build(paddr_t pool, unsigned pages, uint64_t access, paddr_t data_phys,
                                  uint64_t data_bytes, uint64_t direct_top)
{
    struct pool p = {pool, pool + (paddr_t)pages * PAGE_SIZE, access};
    paddr_t root = take(&p), kl1 = take(&p), dl1 = take(&p), dl0 = take(&p);
    if (dl0 == 0 || data_bytes > MIB2 || direct_top > 255 * GIB)
        return 0;

    /* The image, page by page, at its KERNEL_VBASE alias. */
    table(&p, root)[VPN2(KERNEL_VBASE)] = PTE_FROM_PA(kl1) | PTE_V;
    paddr_t start = __layout.image_start_phys;
    paddr_t end = ALIGN_UP(__layout.image_end_phys, PAGE_SIZE);
    for (paddr_t pa = start; pa < end; pa += PAGE_SIZE) {
        lvaddr_t va = pa - RAM_BASE + KERNEL_VBASE;
        uint64_t *l1e = &table(&p, kl1)[VPN1(va)];
        if (*l1e == 0) {
            paddr_t l0 = take(&p);
            if (l0 == 0)
                return 0;
            *l1e = PTE_FROM_PA(l0) | PTE_V;
        }
        table(&p, PTE_TO_PA(*l1e))[VPN0(va)] =
            PTE_FROM_PA(pa) | image_flags(va) | PTE_V | PTE_A | PTE_D;
    }

    /* This core's data. */
    table(&p, root)[VPN2(CORE_DATA_VBASE)] = PTE_FROM_PA(dl1) | PTE_V;
    table(&p, dl1)[VPN1(CORE_DATA_VBASE)] = PTE_FROM_PA(dl0) | PTE_V;
    for (uint64_t off = 0; off < data_bytes; off += PAGE_SIZE)
        table(&p, dl0)[VPN0(CORE_DATA_VBASE + off)] =
            PTE_FROM_PA(data_phys + off) | PTE_R | PTE_W | PTE_V | PTE_A | PTE_D;

    /* The direct map, with gigapages. */
    for (uint64_t gib = 0; gib < ALIGN_UP(direct_top, GIB) / GIB; gib++)
        table(&p, root)[VPN2(DIRECT_VBASE) + gib] =
            PTE_FROM_PA(gib * GIB) | PTE_R | PTE_W | PTE_V | PTE_A | PTE_D;
    return root;
}
