/* va_test.c — the allocator of the dynamic address region: regions that never
 * overlap (nor touch each other's guard page), freed ones used again, and
 * ERR_NOSPACE when the region or the table is full. Each case runs in its own
 * process, so each starts with an empty region. */
#include <stdbool.h>
#include <stdlib.h>
#include <va_layout.h>

#include "test.h"

struct got {
    uintptr_t va;
    size_t bytes;
};

static size_t span(size_t bytes) { return (bytes + VA_PAGE - 1) / VA_PAGE * VA_PAGE + VA_PAGE; }

/* Whether any two of the regions (with their guard pages) overlap, or one
 * leaves the dynamic region or is not page-aligned. */
static bool coincide(const struct got *g, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        if (g[i].va % VA_PAGE != 0 || g[i].va < VA_DYN_BASE ||
            g[i].va + span(g[i].bytes) > VA_DYN_END)
            return true;
        for (unsigned j = i + 1; j < n; j++) {
            if (g[i].va < g[j].va + span(g[j].bytes) && g[j].va < g[i].va + span(g[i].bytes))
                return true;
        }
    }
    return false;
}

TEST(first_region_is_at_the_start_of_the_dynamic_area)
{
    uintptr_t va;
    CHECK_EQ(va_alloc(1, &va), OK);
    CHECK_EQ(va, VA_DYN_BASE);
}

TEST(regions_are_page_aligned_with_a_guard_page_between)
{
    uintptr_t a, b, c;
    CHECK_EQ(va_alloc(100, &a), OK);
    CHECK_EQ(va_alloc(VA_PAGE, &b), OK);
    CHECK_EQ(va_alloc(VA_PAGE + 1, &c), OK);
    CHECK_EQ(b, a + 2 * VA_PAGE);
    CHECK_EQ(c, b + 2 * VA_PAGE);
    struct got g[] = {{a, 100}, {b, VA_PAGE}, {c, VA_PAGE + 1}};
    CHECK(!coincide(g, 3));
}

TEST(zero_bytes_is_invalid)
{
    uintptr_t va = 7;
    CHECK_EQ(va_alloc(0, &va), ERR_INVAL);
    CHECK_EQ(va, 7);
}

TEST(freed_region_is_used_again)
{
    uintptr_t a, b, c, d;
    CHECK_EQ(va_alloc(8192, &a), OK);
    CHECK_EQ(va_alloc(8192, &b), OK);
    CHECK_EQ(va_alloc(8192, &c), OK);
    va_free(b, 8192);
    CHECK_EQ(va_alloc(4096, &d), OK); /* fits in b's gap */
    CHECK_EQ(d, b);
}

TEST(too_large_for_a_gap_goes_past_it)
{
    uintptr_t a, b, c, d;
    CHECK_EQ(va_alloc(4096, &a), OK);
    CHECK_EQ(va_alloc(4096, &b), OK);
    CHECK_EQ(va_alloc(4096, &c), OK);
    va_free(b, 4096);
    CHECK_EQ(va_alloc(3 * 4096, &d), OK);
    CHECK(d > c);
    struct got g[] = {{a, 4096}, {c, 4096}, {d, 3 * 4096}};
    CHECK(!coincide(g, 3));
}

TEST(neighbouring_frees_merge_into_one_gap)
{
    uintptr_t a, b, c, d;
    CHECK_EQ(va_alloc(4096, &a), OK);
    CHECK_EQ(va_alloc(4096, &b), OK);
    CHECK_EQ(va_alloc(4096, &c), OK);
    va_free(a, 4096);
    va_free(b, 4096);
    CHECK_EQ(va_alloc(3 * 4096, &d), OK); /* a and b's pages, guards included */
    CHECK_EQ(d, a);
}

TEST(wrong_frees_change_nothing)
{
    uintptr_t a, b;
    CHECK_EQ(va_alloc(8192, &a), OK);
    va_free(a, 4096);            /* another size */
    va_free(a + VA_PAGE, 4096);  /* inside it */
    va_free(VA_HEAP_BASE, 4096); /* not the dynamic region */
    va_free(a + 1, 8192);        /* not aligned */
    va_free(a, 0);
    CHECK_EQ(va_alloc(4096, &b), OK);
    struct got g[] = {{a, 8192}, {b, 4096}};
    CHECK(!coincide(g, 2));
    va_free(a, 8192);
    va_free(a, 8192); /* twice: the second is not a region any more */
    uintptr_t c, d;
    CHECK_EQ(va_alloc(8192, &c), OK);
    CHECK_EQ(c, a);
    CHECK_EQ(va_alloc(8192, &d), OK);
    CHECK(d != c);
}

TEST(whole_region_in_one_piece_then_nospace)
{
    uintptr_t a, b;
    size_t all = VA_DYN_END - VA_DYN_BASE - VA_PAGE; /* the guard page takes the last */
    CHECK_EQ(va_alloc(all + 1, &a), ERR_NOSPACE);
    CHECK_EQ(va_alloc(all, &a), OK);
    CHECK_EQ(a, VA_DYN_BASE);
    CHECK_EQ(va_alloc(1, &b), ERR_NOSPACE);
    va_free(a, all);
    CHECK_EQ(va_alloc(1, &b), OK);
    CHECK_EQ(b, VA_DYN_BASE);
}

TEST(huge_request_is_nospace)
{
    uintptr_t a;
    CHECK_EQ(va_alloc(SIZE_MAX, &a), ERR_NOSPACE);
    CHECK_EQ(va_alloc(SIZE_MAX - VA_PAGE + 2, &a), ERR_NOSPACE);
}

TEST(full_table_is_nospace_and_a_free_makes_room)
{
    static struct got g[VA_REGIONS_MAX];
    for (unsigned i = 0; i < VA_REGIONS_MAX; i++) {
        g[i].bytes = 4096;
        CHECK_EQ(va_alloc(4096, &g[i].va), OK);
    }
    uintptr_t x;
    CHECK_EQ(va_alloc(4096, &x), ERR_NOSPACE);
    va_free(g[100].va, 4096);
    CHECK_EQ(va_alloc(4096, &x), OK);
    CHECK_EQ(x, g[100].va);
}

/* Many allocations and frees of mixed sizes in a fixed pseudo-random order:
 * the live regions never overlap, and every freed address is eventually seen
 * again. */
TEST(random_allocations_never_coincide)
{
    enum { LIVE = 300, STEPS = 20000 };
    static struct got live[LIVE];
    unsigned n = 0, reused = 0;
    uintptr_t high = 0;
    srand(1);
    for (unsigned step = 0; step < STEPS; step++) {
        if (n < LIVE && (n == 0 || rand() % 3 != 0)) {
            size_t bytes = 1 + (size_t)(rand() % (5 * 4096));
            uintptr_t va;
            CHECK_EQ(va_alloc(bytes, &va), OK);
            reused += va < high;
            if (va > high)
                high = va;
            live[n++] = (struct got){va, bytes};
            if (step % 64 == 0)
                CHECK(!coincide(live, n));
        } else {
            unsigned i = (unsigned)rand() % n;
            va_free(live[i].va, live[i].bytes);
            live[i] = live[--n];
        }
    }
    CHECK(!coincide(live, n));
    CHECK(reused > STEPS / 10);
    /* First fit keeps the area compact: well under a page count of all steps. */
    CHECK(high - VA_DYN_BASE < (uintptr_t)LIVE * 8 * VA_PAGE * 2);
}

TEST(layout_regions_are_in_order_and_page_aligned)
{
    CHECK(VA_NULL_END <= VA_IPC_BUFFER);
    CHECK(VA_IPC_BUFFER + VA_PAGE <= VA_IMAGE_BASE);
    CHECK(VA_IMAGE_END <= VA_HEAP_BASE);
    CHECK(VA_HEAP_END <= VA_DYN_BASE);
    CHECK(VA_DYN_END <= VA_STACK_FLOOR);
    CHECK(VA_HEAP_END - VA_HEAP_BASE >= 512ul << 20); /* hundreds of MiB at least */
    CHECK(VA_DYN_END - VA_DYN_BASE >= 512ul << 20);
    uintptr_t bounds[] = {VA_NULL_END,  VA_IPC_BUFFER, VA_IMAGE_BASE, VA_IMAGE_END,
                          VA_HEAP_BASE, VA_HEAP_END,   VA_DYN_BASE,   VA_DYN_END};
    for (unsigned i = 0; i < sizeof bounds / sizeof bounds[0]; i++)
        CHECK_EQ(bounds[i] % VA_PAGE, 0);
}
