/* extent_test.c — the page-run allocator over a buffer, against a map of
 * which pages are taken: random allocations and frees never overlap, never
 * hand out a free page twice, keep the free count exact, and once everything
 * is freed the runs have merged back into one. */
#include <extent.h>
#include <stdbool.h>
#include <stdlib.h>

#include "test.h"

#define PAGES 512
#define BASE  0x100000ull /* addresses start here; 0 means "none" */
#define STEPS 50000

static uint8_t *mem;
static bool taken[PAGES];

static void *at(uint64_t addr) { return mem + (addr - BASE); }

static struct extents fresh(void)
{
    struct extents e = {.at = at};
    extent_free(&e, BASE, (uint64_t)PAGES * EXTENT_UNIT);
    memset(taken, 0, sizeof taken);
    return e;
}

static unsigned runs(const struct extents *e)
{
    unsigned n = 0;
    for (uint64_t a = e->head; a != 0; a = ((uint64_t *)at(a))[1])
        n++;
    return n;
}

TEST(random_allocations_never_overlap_and_merge_back)
{
    mem = calloc(PAGES, EXTENT_UNIT);
    struct extents e = fresh();
    struct {
        uint64_t base, pages;
    } live[PAGES];
    unsigned nlive = 0;
    uint64_t free_pages = PAGES;
    srand(2026);
    for (int step = 0; step < STEPS; step++) {
        if (nlive > 0 && (rand() % 2 || nlive == PAGES)) {
            unsigned k = (unsigned)rand() % nlive;
            for (uint64_t p = 0; p < live[k].pages; p++)
                taken[(live[k].base - BASE) / EXTENT_UNIT + p] = false;
            extent_free(&e, live[k].base, live[k].pages * EXTENT_UNIT);
            free_pages += live[k].pages;
            live[k] = live[--nlive];
        } else {
            uint64_t pages = 1 + (uint64_t)rand() % 16;
            uint64_t a = extent_alloc(&e, pages * EXTENT_UNIT);
            if (a == 0)
                continue; /* too fragmented or full: fine, as long as it is true */
            CHECK(a >= BASE && (a - BASE) % EXTENT_UNIT == 0);
            CHECK((a - BASE) / EXTENT_UNIT + pages <= PAGES);
            for (uint64_t p = 0; p < pages; p++) {
                CHECK(!taken[(a - BASE) / EXTENT_UNIT + p]);
                taken[(a - BASE) / EXTENT_UNIT + p] = true;
            }
            live[nlive].base = a;
            live[nlive++].pages = pages;
            free_pages -= pages;
        }
        CHECK_EQ(e.free_bytes, free_pages * EXTENT_UNIT);
    }
    while (nlive > 0) {
        nlive--;
        extent_free(&e, live[nlive].base, live[nlive].pages * EXTENT_UNIT);
    }
    CHECK_EQ(e.free_bytes, (uint64_t)PAGES * EXTENT_UNIT);
    CHECK_EQ(runs(&e), 1);
    CHECK_EQ(extent_alloc(&e, (uint64_t)PAGES * EXTENT_UNIT), BASE);
    free(mem);
}

TEST(a_run_too_large_is_refused_and_a_hole_is_used_again)
{
    mem = calloc(PAGES, EXTENT_UNIT);
    struct extents e = fresh();
    uint64_t a = extent_alloc(&e, 4 * EXTENT_UNIT), b = extent_alloc(&e, 4 * EXTENT_UNIT);
    CHECK(a == BASE && b == BASE + 4 * EXTENT_UNIT);
    CHECK_EQ(extent_alloc(&e, (uint64_t)PAGES * EXTENT_UNIT), 0);
    extent_free(&e, a, 4 * EXTENT_UNIT);
    CHECK_EQ(extent_alloc(&e, 2 * EXTENT_UNIT), a); /* first fit: the hole below */
    CHECK_EQ(extent_alloc(&e, 3 * EXTENT_UNIT), b + 4 * EXTENT_UNIT); /* too big for the rest */
    CHECK_EQ(extent_alloc(&e, 2 * EXTENT_UNIT), a + 2 * EXTENT_UNIT);
    free(mem);
}
