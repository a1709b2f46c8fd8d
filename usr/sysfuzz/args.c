/* args.c — the hostile arguments sysfuzz picks from: capability slots valid
 * and not, pointers to its own memory and to everything else, lengths around
 * every boundary. Destructive calls get only slots of world.c's scratch. */
#include <lmp_abi.h>
#include <va_layout.h>

#include "fuzz.h"

/* Slots that hold nothing or cannot exist. */
static const capaddr_t bad_slots[] = {
    0,           CAP_SLOT_KERNEL, CAP_SLOT_BOOT_FRAME,  CNODE_SLOTS - 1,
    CNODE_SLOTS, CNODE_SLOTS + 1, CSPACE_MAX_SLOTS - 1, CSPACE_MAX_SLOTS,
    0x7fffffffu, 0x80000000u,     0xfffffffeu,          0xffffffffu,
};

/* Any slot: also the ones it must keep, for calls that only look or copy. */
capaddr_t pick_slot(struct fuzz_rng *r, const struct world *w)
{
    switch (fuzz_below(r, 8)) {
    case 0:
        return FUZZ_PICK(r, bad_slots);
    case 1:
        return (capaddr_t)fuzz_next(r);
    case 2: {
        /* Not the text page's frame: a copy into it would make SYS_PRINT
         * print whatever was copied. */
        const capaddr_t own[] = {CAP_SLOT_SELF,     CAP_SLOT_RAM, CAP_SLOT_MONITOR, w->ram,
                                 CAP_SLOT_GROW_RAM, w->ep,        w->buf_cap};
        return FUZZ_PICK(r, own);
    }
    case 3:
        return w->ram;
    default:
        return w->scratch[fuzz_below(r, SCRATCH_SLOTS)];
    }
}

/* Where a call may put a capability: empty or occupied, never a slot the
 * fuzzer or its C library will fill later. */
capaddr_t pick_dest_slot(struct fuzz_rng *r, const struct world *w)
{
    switch (fuzz_below(r, 6)) {
    case 0:
        return FUZZ_PICK(r, bad_slots);
    case 1: {
        const capaddr_t taken[] = {CAP_SLOT_SELF, CAP_SLOT_RAM, CAP_SLOT_MONITOR, w->ram, w->ep};
        return FUZZ_PICK(r, taken);
    }
    default:
        return w->scratch[fuzz_below(r, SCRATCH_SLOTS)];
    }
}

/* For delete and revoke: scratch, the fuzzing RAM (revoking it only takes
 * back what was made of it; deleting it is left out, since the monitor would
 * not get its memory back until the fuzzer ends), and slots that hold nothing. */
capaddr_t pick_doomed_slot(struct fuzz_rng *r, const struct world *w)
{
    switch (fuzz_below(r, 6)) {
    case 0:
        return FUZZ_PICK(r, bad_slots);
    default:
        return w->scratch[fuzz_below(r, SCRATCH_SLOTS)];
    }
}

/* A capability to pass with a message: copies of anything, but only scratch
 * may be moved away (LMP_GIVE_MOVE). */
capaddr_t pick_give(struct fuzz_rng *r, const struct world *w)
{
    switch (fuzz_below(r, 4)) {
    case 0:
        return 0;
    case 1:
        return pick_slot(r, w);
    case 2:
        return pick_doomed_slot(r, w) | LMP_GIVE_MOVE;
    default:
        return (capaddr_t)fuzz_next(r);
    }
}

/* The last page of user space on x86-64 and on RISC-V Sv39: a length from
 * near its end runs past the top. */
#define TOP_X86   0x7ffffffff000ull
#define TOP_RISCV 0x3ffffff000ull

struct uptr pick_ptr(struct fuzz_rng *r, const struct world *w, bool for_print)
{
    uint64_t off = fuzz_below(r, 4) == 0 ? fuzz_below(r, 8) : fuzz_below(r, VA_PAGE);
    switch (fuzz_below(r, for_print ? 10 : 14)) {
    case 0: /* the text page: readable, not writable */
    case 1:
        return (struct uptr){(uintptr_t)w->text + off, (int64_t)(VA_PAGE - off), 0};
    case 2: /* near the end of a page with nothing mapped after it */
        off = VA_PAGE - 1 - fuzz_below(r, 64);
        return (struct uptr){(uintptr_t)w->text + off, (int64_t)(VA_PAGE - off), 0};
    case 3:
        return (struct uptr){0, 0, 0};
    case 4:
        return (struct uptr){1 + fuzz_below(r, VA_NULL_END - 1), 0, 0};
    case 5: { /* kernel addresses: the higher half, the direct map, the top */
        const uint64_t k[] = {0xffffffff80000000ull, 0xffff800000000000ull, 0xffffffc000000000ull,
                              0xfffffffffffff000ull, 0x8000000000000000ull, 0x0000800000000000ull};
        return (struct uptr){FUZZ_PICK(r, k) + off, 0, 0};
    }
    case 6: { /* the last page of user space, and the first byte past it */
        const uint64_t top[] = {TOP_X86, TOP_RISCV, TOP_X86 + VA_PAGE, TOP_RISCV + VA_PAGE};
        return (struct uptr){FUZZ_PICK(r, top) + off, 0, 0};
    }
    case 7:
        return (struct uptr){~0ull - fuzz_below(r, 64), 0, 0};
    case 8: /* anywhere at all: may even be mapped */
        return (struct uptr){fuzz_next(r), -1, -1};
    case 9:
        return (struct uptr){w->hole + off, 0, 0};
    case 10: /* its own code: readable, not writable (never printed) */
        return (struct uptr){(uintptr_t)&pick_ptr, -1, 0};
    case 11: /* the IPC buffer; the program's (read-only) code follows it */
        return (struct uptr){IPC_BUFFER_VA + off, -1, (int64_t)(VA_PAGE - off)};
    default: /* the writable buffer, then a page nothing maps */
        off = fuzz_below(r, BUF_BYTES);
        return (struct uptr){(uintptr_t)w->buf + off, (int64_t)(BUF_BYTES - off),
                             (int64_t)(BUF_BYTES - off)};
    }
}

uint64_t pick_len(struct fuzz_rng *r)
{
    static const uint64_t lens[] = {
        0,
        1,
        2,
        7,
        8,
        63,
        64,
        100,
        4095,
        4096,
        4097,
        8191,
        8192,
        8193,
        SYS_PRINT_MAX + 1,
        1u << 20,
        (1u << 20) + 1,
        1ull << 32,
        1ull << 63,
        ~0ull,
        ~0ull - 4095,
    };
    return fuzz_below(r, 4) == 0 ? fuzz_below(r, 300) : FUZZ_PICK(r, lens);
}

/* A virtual address for frame_map: its own free area (aligned or not), pages
 * already mapped, nothing, the kernel's, past the top of user space; never
 * the hole, which pick_ptr counts on staying unmapped. */
uint64_t pick_va(struct fuzz_rng *r, const struct world *w)
{
    uint64_t page = fuzz_below(r, MAP_AREA / VA_PAGE) * VA_PAGE;
    switch (fuzz_below(r, 9)) {
    case 0:
        return w->map_area + page + 1 + fuzz_below(r, VA_PAGE - 1);
    case 1: {
        const uint64_t mapped[] = {IPC_BUFFER_VA, (uintptr_t)w->buf, (uintptr_t)w->text,
                                   (uintptr_t)&pick_va & ~(VA_PAGE - 1)};
        return FUZZ_PICK(r, mapped);
    }
    case 2: {
        const uint64_t odd[] = {0,
                                VA_PAGE,
                                0xffffffff80000000ull,
                                0xffff800000000000ull,
                                0x0000800000000000ull,
                                TOP_X86,
                                TOP_RISCV,
                                TOP_RISCV + VA_PAGE,
                                ~0ull & ~(VA_PAGE - 1),
                                (~0ull & ~(VA_PAGE - 1)) - 16 * VA_PAGE};
        return FUZZ_PICK(r, odd);
    }
    case 3:
        return fuzz_next(r) & ~(VA_PAGE - 1) & 0xffffffff80000000ull; /* never low user space */
    default:
        return w->map_area + page;
    }
}

/* Any 64-bit argument: small, at a boundary, or random. */
uint64_t pick_number(struct fuzz_rng *r)
{
    static const uint64_t n[] = {0,          1,          2,          3,          63,
                                 64,         255,        256,        0xffff,     0x10000,
                                 0x7fffffff, 0x80000000, 0xffffffff, 1ull << 32, 1ull << 63,
                                 ~0ull,      ~0ull - 1};
    return fuzz_below(r, 3) == 0 ? fuzz_next(r) : FUZZ_PICK(r, n);
}
