/* slots.h — the capability slots and the address capmisuse works with. It
 * names slots on purpose: misusing them is the point. They lie above what the
 * C library takes for itself. */
#ifndef CAPMISUSE_SLOTS_H
#define CAPMISUSE_SLOTS_H

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

#define VA_MAP 0x38000000ul

#endif
