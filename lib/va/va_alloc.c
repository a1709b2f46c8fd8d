/* va_alloc.c — the dynamic region of this domain's address space
 * (va_layout.h): a table of live regions sorted by address, first fit into
 * the gaps between them. No heap (the monitor has none); the table is in bss,
 * in page units so that an entry is 8 bytes. */
#include <lmp_abi.h>
#include <string.h>
#include <va_layout.h>

#define DYN_PAGES ((VA_DYN_END - VA_DYN_BASE) / VA_PAGE)

_Static_assert(VA_DYN_BASE % VA_PAGE == 0 && VA_DYN_END > VA_DYN_BASE, "a page-aligned region");
_Static_assert(VA_IPC_BUFFER == IPC_BUFFER_VA, "the CPU driver maps the IPC buffer there");
_Static_assert(DYN_PAGES <= UINT32_MAX, "page numbers fit 32 bits");
_Static_assert(VA_NULL_END <= VA_IPC_BUFFER && VA_IPC_BUFFER + VA_PAGE <= VA_IMAGE_BASE &&
                   VA_IMAGE_BASE < VA_IMAGE_END && VA_IMAGE_END <= VA_HEAP_BASE &&
                   VA_HEAP_BASE < VA_HEAP_END && VA_HEAP_END <= VA_DYN_BASE,
               "the regions are in order and do not overlap");

struct region {
    uint32_t first; /* page number from VA_DYN_BASE */
    uint32_t pages; /* including the guard page */
};

static struct region regions[VA_REGIONS_MAX];
static unsigned count;

/* Pages for bytes and a guard page; 0 if bytes is 0 or cannot fit at all. */
static uint64_t pages_for(size_t bytes)
{
    if (bytes == 0 || bytes > (DYN_PAGES - 1) * VA_PAGE)
        return 0;
    return (bytes + VA_PAGE - 1) / VA_PAGE + 1;
}

err_t va_alloc(size_t bytes, uintptr_t *out)
{
    uint64_t need = pages_for(bytes);
    if (bytes == 0)
        return ERR_INVAL;
    if (need == 0 || count == VA_REGIONS_MAX)
        return ERR_NOSPACE;
    /* The first gap that fits: before region i, or after the last one. */
    uint64_t at = 0;
    unsigned i = 0;
    for (; i < count; i++) {
        if (regions[i].first - at >= need)
            break;
        at = (uint64_t)regions[i].first + regions[i].pages;
    }
    if (i == count && DYN_PAGES - at < need)
        return ERR_NOSPACE;
    memmove(&regions[i + 1], &regions[i], (count - i) * sizeof regions[0]);
    regions[i] = (struct region){(uint32_t)at, (uint32_t)need};
    count++;
    *out = VA_DYN_BASE + (uintptr_t)at * VA_PAGE;
    return OK;
}

void va_free(uintptr_t va, size_t bytes)
{
    uint64_t pages = pages_for(bytes);
    if (va < VA_DYN_BASE || va >= VA_DYN_END || va % VA_PAGE != 0 || pages == 0)
        return;
    uint64_t first = (va - VA_DYN_BASE) / VA_PAGE;
    /* Binary search: the table is sorted by first page. */
    unsigned lo = 0, hi = count;
    while (lo < hi) {
        unsigned mid = lo + (hi - lo) / 2;
        if (regions[mid].first < first)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == count || regions[lo].first != first || regions[lo].pages != pages)
        return;
    memmove(&regions[lo], &regions[lo + 1], (count - lo - 1) * sizeof regions[0]);
    count--;
}
