/* capbench [ROUNDS] — what capabilities and memory cost: getting one page
 * (NS_RAM to the monitor, retype into a frame, map, first touch) and giving it
 * back, and a revoke that deletes 1, 10 or 100 descendants (copies spread
 * over two levels). Prints "capbench OP NS" lines, the mean of ROUNDS (200)
 * in the system's nanoseconds: emulated time under TCG, or instructions under
 * QEMU's -icount shift=0 (tools/bench --caps runs both). */
#include <ram.h>
#include <slot_alloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys.h>
#include <va_layout.h>

#define PAGE 4096u

static capaddr_t slots[128];

static void take_slots(unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        if (slot_alloc(&slots[i]) != OK) {
            printf("capbench: no slots\n");
            exit(1);
        }
    }
}

/* The baseline of a request: a call to this core's monitor that does nothing
 * but answer. */
static void monitor_call(unsigned rounds)
{
    unsigned core = sys_core_id();
    uint64_t total = 0;
    for (unsigned r = 0; r <= rounds; r++) { /* round 0 warms up, uncounted */
        struct ns_meminfo info;
        uint64_t t0 = sys_now_ns();
        err_t err = ram_info(core, &info);
        if (r > 0)
            total += sys_now_ns() - t0;
        if (err != OK) {
            printf("capbench: monitor call: %s\n", err_str(err));
            exit(1);
        }
    }
    printf("capbench monitor-call %lu\n", (unsigned long)(total / rounds));
}

static void page(unsigned rounds, uintptr_t va)
{
    uint64_t request = 0, map = 0, give_back = 0;
    /* Round 0 is not counted: the monitor may borrow a chunk for it. */
    for (unsigned r = 0; r <= rounds; r++) {
        uint64_t t0 = sys_now_ns();
        err_t err = ram_alloc(PAGE, slots[0], NULL);
        uint64_t t1 = sys_now_ns();
        if (err == OK)
            err = cap_retype(slots[0], slots[1], CAP_FRAME, PAGE, NULL);
        if (err == OK)
            err = frame_map(slots[1], va, 1);
        if (err == OK)
            *(volatile uint32_t *)va = r;
        uint64_t t2 = sys_now_ns();
        (void)cap_delete(slots[1]);
        (void)cap_delete(slots[0]);
        uint64_t t3 = sys_now_ns();
        if (err != OK) {
            printf("capbench: page: %s\n", err_str(err));
            exit(1);
        }
        if (r == 0)
            continue;
        request += t1 - t0;
        map += t2 - t1;
        give_back += t3 - t2;
    }
    printf("capbench page-request %lu\n", (unsigned long)(request / rounds));
    printf("capbench page-retype-map-touch %lu\n", (unsigned long)(map / rounds));
    printf("capbench page-total %lu\n", (unsigned long)((request + map) / rounds));
    printf("capbench page-give-back %lu\n", (unsigned long)(give_back / rounds));
}

/* A frame with n descendants: up to ten copies of it, each copied again. */
static void revoke(unsigned rounds, unsigned n)
{
    uint64_t total = 0;
    for (unsigned r = 0; r < rounds; r++) {
        err_t err = cap_retype(CAP_SLOT_RAM, slots[0], CAP_FRAME, PAGE, NULL);
        unsigned made = 0, first = n < 10 ? n : 10;
        for (unsigned i = 0; err == OK && i < first; i++, made++)
            err = cap_copy(slots[0], slots[1 + made], CAP_RIGHTS_ALL);
        for (unsigned i = 0; err == OK && made < n; i++, made++)
            err = cap_copy(slots[1 + i % first], slots[1 + made], CAP_RIGHTS_ALL);
        uint64_t t0 = sys_now_ns();
        if (err == OK)
            err = cap_revoke(slots[0]);
        total += sys_now_ns() - t0;
        (void)cap_delete(slots[0]);
        if (err != OK) {
            printf("capbench: revoke of %u: %s\n", n, err_str(err));
            exit(1);
        }
    }
    printf("capbench revoke-%u %lu\n", n, (unsigned long)(total / rounds));
}

int main(int argc, char **argv)
{
    unsigned rounds = argc > 1 ? (unsigned)atoi(argv[1]) : 200;
    uintptr_t va;
    if (rounds == 0 || va_alloc(PAGE, &va) != OK) {
        printf("usage: capbench [ROUNDS]\n");
        return 2;
    }
    take_slots(102);
    monitor_call(rounds);
    page(rounds, va);
    revoke(rounds, 1);
    revoke(rounds, 10);
    revoke(rounds, 100);
    return 0;
}
