/* sysfuzz — calls every system call, and numbers past the last, with hostile
 * arguments (fuzz.h, args.c, calls.c): `sysfuzz SEED CALLS`. The same seed
 * makes the same calls. Prints each unexpected result, and at the end how
 * many calls were made and how many were unexpected; exits 0 if none was. The
 * kernel must answer every one with an error or a success, never with a
 * fault of the caller, a hang or a panic. */
#include <stdio.h>
#include <stdlib.h>
#include <sys.h>

#include "fuzz.h"

#define RESET_EVERY 32 /* calls between rebuilding what the calls damaged */
#define SHOW_MAX    20 /* unexpected results printed in full */

static uint64_t pick_call(struct fuzz_rng *r)
{
    uint64_t n;
    do {
        switch (fuzz_below(r, 16)) {
        case 0:
            n = fuzz_below(r, 2) ? SYS__COUNT + fuzz_below(r, 4) : fuzz_next(r);
            break;
        case 1:
            n = 0;
            break;
        default:
            n = 1 + fuzz_below(r, SYS__COUNT - 1);
        }
    } while (n == SYS_EXIT); /* called for real at the end */
    return n;
}

int main(int argc, char **argv)
{
    if (argc != 3 && argc != 4) {
        fprintf(stderr, "usage: sysfuzz SEED CALLS [FROM]\n");
        return 2;
    }
    unsigned long seed = strtoul(argv[1], NULL, 0);
    unsigned long calls = strtoul(argv[2], NULL, 0);
    printf("sysfuzz: seed %lu, %lu calls\n", seed, calls);
    fflush(stdout);
    struct world w = {0};
    err_t err = world_init(&w);
    if (err != OK) {
        printf("sysfuzz: cannot set up: %s\n", err_str(err));
        return 2;
    }
    struct fuzz_rng r = {seed};
    unsigned long unexpected = 0;
    /* From call FROM on, each call is named before it is made (through the
     * kernel, which needs no driver): the last name before a hang is the call. */
    unsigned long trace_from = argc == 4 ? strtoul(argv[3], NULL, 0) : ~0ul;
    uint64_t start = sys_now_ns();
    for (unsigned long i = 0; i < calls; i++) {
        if (i % RESET_EVERY == 0)
            world_reset(&w);
        uint64_t num = pick_call(&r);
        if (i >= trace_from)
            sys_printf("sysfuzz: call %lu: number %lu\n", i, (unsigned long)num);
        struct sys_result res;
        const char *why = fuzz_one(&r, &w, num, &res);
        const char *lost = NULL;
        if (why == NULL && i % RESET_EVERY == RESET_EVERY - 1 && !world_intact(&w, &lost))
            why = lost;
        if (why != NULL && unexpected++ < SHOW_MAX)
            printf("sysfuzz: call %lu (number %lu): %s (%s)\n", i, (unsigned long)num, why,
                   res.err < ERR__COUNT ? err_str(res.err) : "?");
        if (lost != NULL)
            break; /* what it needs is gone: the rest would say nothing */
        if ((i + 1) % 100000 == 0) {
            printf("sysfuzz: %lu calls\n", i + 1);
            fflush(stdout);
        }
    }
    world_reset(&w);
    uint64_t ms = (sys_now_ns() - start) / 1000000;
    printf("sysfuzz: %lu calls in %lu ms (%lu calls/s)\n", calls, (unsigned long)ms,
           ms ? calls * 1000 / ms : 0);
    printf("sysfuzz: %lu calls, seed %lu, %lu unexpected\n", calls, seed, unexpected);
    fflush(stdout);
    /* The one call it keeps for the end. */
    sys_call(SYS_EXIT, unexpected == 0 ? 0 : 1, 0, 0, 0, 0, 0);
    return 1;
}
