/* count.h — how many instructions an operation takes, by QEMU's instruction
 * count (sys_icount: meaningful under -icount shift=0 only). */
#ifndef ICOUNT_COUNT_H
#define ICOUNT_COUNT_H

#include <stdint.h>

struct count {
    uint64_t min;  /* the fewest of one run: the path with nothing else in it */
    uint64_t mean; /* the mean of all runs: ticks and other cores included */
};

/* Runs op(arg) once to warm up, then n times, each between two reads of the
 * count, and returns the fewest and the mean less those of an empty op (the
 * loop's own instructions). */
struct count count_op(void (*op)(void *), void *arg, unsigned n);

#endif
