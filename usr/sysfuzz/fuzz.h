/* fuzz.h — what sysfuzz's parts share: its own capabilities and memory (the
 * world it may damage and rebuild), the hostile arguments it picks from, and
 * one call with what may be expected of it. */
#ifndef SYSFUZZ_FUZZ_H
#define SYSFUZZ_FUZZ_H

#include <cap_types.h>
#include <fuzz_rng.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys.h>

#define SCRATCH_SLOTS 24
#define BUF_BYTES     8192u          /* the writable buffer, with an unmapped page after it */
#define MAP_AREA      (1u << 20)     /* where frames may be mapped at will */
#define RAM_BYTES     (256u * 1024u) /* the RAM every retype and CNode comes from */

/* What the fuzzer holds. Only the scratch slots (and the empty standard
 * slots 2 and 4) are ever deleted, revoked into or written: its own
 * dispatcher, RAM, monitor endpoint and the slots of its C library stay out
 * of reach, since losing them would only end the fuzzer (see world.c). */
struct world {
    capaddr_t scratch[SCRATCH_SLOTS];
    capaddr_t ram;      /* RAM_BYTES from the monitor: retyped, revoked */
    capaddr_t ep;       /* an endpoint to itself */
    capaddr_t buf_cap;  /* the frame of buf */
    capaddr_t text_cap; /* the frame of text */
    uintptr_t region;   /* va_alloc'd: buf, a hole, text, a hole, then the map area */
    uint8_t *buf;       /* BUF_BYTES, writable */
    uintptr_t hole;     /* a page nothing maps (but frame_map may, until reset) */
    const char *text;   /* one page of printable lines, mapped read-only */
    uintptr_t map_area;
    uint64_t cmdline_len;
};

/* A pointer and how many bytes from it may be read and written (-1: unknown,
 * e.g. a random address that might happen to be mapped). */
struct uptr {
    uint64_t va;
    int64_t readable, writable;
};

/* One call: its number and arguments, and what the checks need. */
struct call {
    uint64_t num, a[6];
    bool printable; /* SYS_PRINT reads only printable bytes */
};

err_t world_init(struct world *w);
/* Deletes everything the scratch slots hold and revokes the RAM, which unmaps
 * whatever was mapped from it; gets anything back that the calls removed. */
void world_reset(struct world *w);
/* Whether the fuzzer's own standard capabilities are as they were. */
bool world_intact(const struct world *w, const char **what);

capaddr_t pick_slot(struct fuzz_rng *r, const struct world *w);
capaddr_t pick_dest_slot(struct fuzz_rng *r, const struct world *w);
capaddr_t pick_doomed_slot(struct fuzz_rng *r, const struct world *w);
capaddr_t pick_give(struct fuzz_rng *r, const struct world *w);
struct uptr pick_ptr(struct fuzz_rng *r, const struct world *w, bool for_print);
uint64_t pick_len(struct fuzz_rng *r);
uint64_t pick_va(struct fuzz_rng *r, const struct world *w);
uint64_t pick_number(struct fuzz_rng *r);

/* Makes the arguments of one call of num, runs it, and says why the result
 * is unexpected (NULL: it is not). */
const char *fuzz_one(struct fuzz_rng *r, struct world *w, uint64_t num, struct sys_result *res);

#endif
