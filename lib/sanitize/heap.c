/* heap.c — malloc, free, calloc and realloc for the sanitizer build, over
 * newlib's allocator: each block gets a header before it and a red zone
 * after it, both poisoned, and a freed block stays poisoned in a quarantine
 * for a while before newlib may give it out again, so that a use after free
 * or past the end is caught. Memory newlib's own functions allocate
 * (_malloc_r: strdup, stdio) has no header and goes back to newlib. The
 * build links with --wrap for the four names (hake/toolchains.py): every
 * call of malloc comes here, and __real_realloc is lib/posix's. */
#include <reent.h>
#include <sanitize.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define HEADER           32u
#define RIGHT_MIN        32u
#define MAGIC            0x5a4e41534b4f4c42ull
#define QUARANTINE       256u
#define QUARANTINE_BYTES (4u << 20)

void *_malloc_r(struct _reent *, size_t);
void _free_r(struct _reent *, void *);
void *__real_realloc(void *, size_t);

struct header {
    uint64_t magic;
    uint64_t size;  /* what the program asked for */
    uint64_t total; /* header, block and red zone */
    uint64_t pad;
};

static struct {
    uintptr_t block[QUARANTINE];
    size_t head, count, bytes;
} q;

static struct header *header_of(void *p) { return (struct header *)((uintptr_t)p - HEADER); }

static bool ours(void *p)
{
    return p != NULL && ((uintptr_t)p & 7) == 0 && header_of(p)->magic == MAGIC;
}

void *__wrap_malloc(size_t n)
{
    if (n > SIZE_MAX / 2)
        return NULL;
    size_t total = HEADER + ((n + 7) & ~(size_t)7) + RIGHT_MIN;
    uint8_t *raw = _malloc_r(_REENT, total);
    if (raw == NULL)
        return NULL;
    struct header *h = (struct header *)raw;
    *h = (struct header){.magic = MAGIC, .size = n, .total = total};
    uintptr_t user = (uintptr_t)raw + HEADER;
    san_poison((uintptr_t)raw, HEADER, SAN_HEAP_LEFT);
    san_poison(user + ((n + 7) & ~(size_t)7), RIGHT_MIN, SAN_HEAP_RIGHT);
    san_unpoison(user, n);
    return (void *)user;
}

/* The oldest block of the quarantine goes back to newlib, usable again. */
static void release_oldest(void)
{
    uintptr_t raw = q.block[(q.head + QUARANTINE - q.count) % QUARANTINE];
    struct header *h = (struct header *)raw;
    size_t total = h->total;
    q.count--;
    q.bytes -= total;
    san_unpoison(raw, total);
    h->magic = 0;
    _free_r(_REENT, (void *)raw);
}

void __wrap_free(void *p)
{
    if (p == NULL)
        return;
    if (!ours(p)) {
        _free_r(_REENT, p);
        return;
    }
    struct header *h = header_of(p);
    size_t total = h->total;
    san_poison((uintptr_t)p, total - HEADER, SAN_FREED);
    h->magic = ~MAGIC; /* a second free is not ours: newlib's checks see it */
    while (q.count == QUARANTINE || (q.count > 0 && q.bytes + total > QUARANTINE_BYTES))
        release_oldest();
    q.block[q.head] = (uintptr_t)h;
    q.head = (q.head + 1) % QUARANTINE;
    q.count++;
    q.bytes += total;
}

void *__wrap_calloc(size_t n, size_t each)
{
    if (each != 0 && n > SIZE_MAX / each)
        return NULL;
    void *p = __wrap_malloc(n * each);
    if (p != NULL)
        memset(p, 0, n * each);
    return p;
}

void *__wrap_realloc(void *p, size_t n)
{
    if (p != NULL && !ours(p))
        return __real_realloc(p, n);
    void *fresh = __wrap_malloc(n);
    if (fresh == NULL || p == NULL)
        return fresh;
    size_t old = header_of(p)->size;
    memcpy(fresh, p, old < n ? old : n);
    __wrap_free(p);
    return fresh;
}
