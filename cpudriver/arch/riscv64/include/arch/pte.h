/* pte.h — Sv39 page-table entries. A, D are always set in leaves we create, so
 * the hardware never needs to write a table. */
#ifndef ARCH_PTE_H
#define ARCH_PTE_H

#define PTE_V     (1ull << 0)
#define PTE_R     (1ull << 1)
#define PTE_W     (1ull << 2)
#define PTE_X     (1ull << 3)
#define PTE_U     (1ull << 4)
#define PTE_A     (1ull << 6)
#define PTE_D     (1ull << 7)
#define PTE_OWNED (1ull << 8) /* software (RSW): the domain's own frame, freed with it */
#define PTE_LEAF  (PTE_R | PTE_W | PTE_X)

#define PTE_FROM_PA(pa) (((pa) >> 12) << 10)
#define PTE_TO_PA(pte)  ((((pte) >> 10) & ((1ull << 44) - 1)) << 12)

#define VPN2(va) (((va) >> 30) & 511)
#define VPN1(va) (((va) >> 21) & 511)
#define VPN0(va) (((va) >> 12) & 511)

#define SATP_SV39 (8ull << 60)

#endif
