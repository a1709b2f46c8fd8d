/* slots.h — the capability slots and the address capmisuse works with. It
 * names slots on purpose: misusing them is the point. They lie far above the
 * lowest-first slots the C library's allocator hands out. */
#ifndef CAPMISUSE_SLOTS_H
#define CAPMISUSE_SLOTS_H

#include <stdint.h>

enum {
    S_FIRST = 200,
    S_RAM = S_FIRST,
    S_RAM_COPY,
    S_X,
    S_X2,
    S_F1,
    S_F2,
    S_F1_COPY,
    S_NOREVOKE,
    S_NORIGHTS,
    S_A,
    S_A1,
    S_B,
    S_CNODE,
};

/* Where it maps frames: a region from the layout's allocator (capmisuse.c). */
extern uintptr_t VA_MAP;

#endif
