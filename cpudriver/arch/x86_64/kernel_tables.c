/* kernel_tables.c — one core's kernel page tables:
 *   KERNEL_VBASE + image   4 KiB pages: .boot and text read-execute, rodata and the
 *                          .data template read-only
 *   CORE_DATA_VBASE        4 KiB pages: this core's own .data/.bss, read-write
 *   DIRECT_VBASE + phys    2 MiB pages: all RAM, and uncached above 3 GiB for MMIO
 * Runs before the core's private data is mapped: no globals, no calls out. */
#include <arch/kernel_tables.h>
#include <arch/layout.h>
#include <arch/pte.h>

extern char __image_start_phys[], __image_end_phys[], __text_start[], __text_end[],
    __rodata_start[], __rodata_end[];

#define GIB        (1ull << 30)
#define MIB2       (1ull << 21)
#define MMIO_START (3 * GIB)
#define IMAGE_PTS  4 /* the image may span up to 8 MiB */

unsigned kernel_tables_pages(uint64_t direct_top)
{
    unsigned direct_pds = (unsigned)(ALIGN_UP(direct_top, GIB) / GIB);
    /* PML4, direct PDPT + PDs, kernel PDPT, kernel PD, image PTs, data PD + PT */
    return 1 + 1 + direct_pds + 1 + 1 + IMAGE_PTS + 2;
}

struct pool {
    paddr_t next;
    paddr_t end;
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

/* Permissions of one page of the kernel image, by which part it is in. */
static uint64_t image_flags(lvaddr_t va)
{
    if (va >= (lvaddr_t)__text_start && va < (lvaddr_t)__text_end)
        return PTE_P;
    if (va >= (lvaddr_t)__rodata_start)
        return PTE_P | PTE_NX; /* rodata, and the template of .data after it */
    return PTE_P;              /* .boot: code, only ever run by the boot core while it starts */
}

paddr_t kernel_tables_build(const struct kernel_tables_plan *plan)
{
    struct pool p = {plan->pool, plan->pool + (paddr_t)plan->pool_pages * PAGE_SIZE, plan->access};
    paddr_t pml4 = take(&p), kpdpt = take(&p), kpd = take(&p), dpd = take(&p), dpt = take(&p);
    paddr_t direct_pdpt = take(&p);
    if (direct_pdpt == 0)
        return 0;

    /* The image, page by page. */
    table(&p, pml4)[PML4_INDEX(KERNEL_VBASE)] = kpdpt | PTE_P | PTE_W;
    table(&p, kpdpt)[PDPT_INDEX(KERNEL_VBASE)] = kpd | PTE_P | PTE_W;
    paddr_t start = (paddr_t)__image_start_phys;
    paddr_t end = ALIGN_UP((paddr_t)__image_end_phys, PAGE_SIZE);
    if (ALIGN_UP(end, MIB2) / MIB2 > IMAGE_PTS)
        return 0;
    for (paddr_t pa = start; pa < end; pa += PAGE_SIZE) {
        uint64_t *pde = &table(&p, kpd)[PD_INDEX(KERNEL_VBASE + pa)];
        if (*pde == 0) {
            paddr_t pt = take(&p);
            if (pt == 0)
                return 0;
            *pde = pt | PTE_P | PTE_W;
        }
        table(&p, *pde & PTE_ADDR)[PT_INDEX(pa)] = pa | image_flags(KERNEL_VBASE + pa);
    }

    /* This core's data. */
    if (plan->data_bytes > MIB2)
        return 0;
    table(&p, kpdpt)[PDPT_INDEX(CORE_DATA_VBASE)] = dpd | PTE_P | PTE_W;
    table(&p, dpd)[PD_INDEX(CORE_DATA_VBASE)] = dpt | PTE_P | PTE_W;
    for (uint64_t off = 0; off < plan->data_bytes; off += PAGE_SIZE)
        table(&p, dpt)[PT_INDEX(CORE_DATA_VBASE + off)] =
            (plan->data_phys + off) | PTE_P | PTE_W | PTE_NX;

    /* The direct map. */
    table(&p, pml4)[PML4_INDEX(DIRECT_VBASE)] = direct_pdpt | PTE_P | PTE_W;
    for (uint64_t gib = 0; gib < ALIGN_UP(plan->direct_top, GIB) / GIB; gib++) {
        paddr_t pd = take(&p);
        if (pd == 0)
            return 0;
        table(&p, direct_pdpt)[gib] = pd | PTE_P | PTE_W;
        for (unsigned i = 0; i < 512; i++) {
            paddr_t pa = gib * GIB + (paddr_t)i * MIB2;
            uint64_t cache = pa >= MMIO_START && pa < 4 * GIB ? PTE_PCD | PTE_PWT : 0;
            table(&p, pd)[i] = pa | PTE_P | PTE_W | PTE_PS | PTE_NX | cache;
        }
    }
    return pml4;
}
