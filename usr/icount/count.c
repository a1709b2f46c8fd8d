/* count.c — counts instructions per operation (count.h). Every figure is the
 * difference of two reads of QEMU's count around one call, less the same for
 * a call that does nothing. */
#include "count.h"

#include <stddef.h>
#include <sys/arch.h>

struct raw {
    uint64_t min, total;
};

static void nothing(void *arg) { (void)arg; }

static struct raw run(void (*op)(void *), void *arg, unsigned n)
{
    struct raw r = {UINT64_MAX, 0};
    op(arg);
    for (unsigned i = 0; i < n; i++) {
        uint64_t t0 = sys_icount();
        op(arg);
        uint64_t d = sys_icount() - t0;
        r.total += d;
        if (d < r.min)
            r.min = d;
    }
    return r;
}

static uint64_t less(uint64_t a, uint64_t b) { return a > b ? a - b : 0; }

struct count count_op(void (*op)(void *), void *arg, unsigned n)
{
    /* Kept in the compiler's sight as a real call through a pointer, as op is. */
    void (*volatile empty)(void *) = nothing;
    struct raw loop = run(empty, NULL, n), r = run(op, arg, n);
    return (struct count){less(r.min, loop.min), less(r.total, loop.total) / n};
}
