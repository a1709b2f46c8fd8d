/* pte.h — x86-64 page-table entry bits. */
#ifndef ARCH_PTE_H
#define ARCH_PTE_H

#include <stdint.h>

#define PTE_P     (1ull << 0)
#define PTE_W     (1ull << 1)
#define PTE_U     (1ull << 2)
#define PTE_PWT   (1ull << 3)
#define PTE_PCD   (1ull << 4)
#define PTE_PS    (1ull << 7) /* 2 MiB page in a PD entry */
#define PTE_OWNED (1ull << 9) /* software: the domain's own frame, freed with it */
#define PTE_NX    (1ull << 63)
#define PTE_ADDR  0x000ffffffffff000ull

#define PML4_INDEX(va) (((va) >> 39) & 511)
#define PDPT_INDEX(va) (((va) >> 30) & 511)
#define PD_INDEX(va)   (((va) >> 21) & 511)
#define PT_INDEX(va)   (((va) >> 12) & 511)

#endif
