/* slot_alloc.c — a bitmap of this domain's capability slots, sized for the
 * largest capability space (no heap: the monitor has none). The limit starts
 * at the space a domain is spawned with and moves up only when cspace_grow
 * says the space grew. */
#include <slot_alloc.h>
#include <stdbool.h>
#include <stdint.h>

#define WORD_BITS 64u

static uint64_t used[SLOT_ALLOC_MAX / WORD_BITS];
static capaddr_t limit = CSPACE_SLOTS;
static capaddr_t hint = CAP_SLOT_FIRST_FREE; /* no free slot lies below it */

_Static_assert(CSPACE_SLOTS <= SLOT_ALLOC_MAX, "the first capability space fits the bitmap");
_Static_assert(CAP_SLOT_FIRST_FREE < CSPACE_SLOTS, "a domain has slots of its own");

static bool taken(capaddr_t s) { return used[s / WORD_BITS] >> (s % WORD_BITS) & 1; }

/* The first free slot in [from, limit), or limit. Whole words at a time. */
static capaddr_t find_free(capaddr_t from)
{
    capaddr_t s = from;
    while (s < limit && s % WORD_BITS != 0 && taken(s))
        s++;
    while (s < limit && used[s / WORD_BITS] == UINT64_MAX)
        s += WORD_BITS;
    while (s < limit && taken(s))
        s++;
    return s < limit ? s : limit;
}

err_t slot_alloc(capaddr_t *out)
{
    capaddr_t s = find_free(hint);
    while (s == limit) {
        if (limit == SLOT_ALLOC_MAX)
            return ERR_NOSPACE; /* the largest space there can be */
        capaddr_t grown = limit;
        err_t err = cspace_grow(&grown);
        if (err != OK)
            return err;
        if (grown <= limit)
            return ERR_NOSPACE; /* "grew" by nothing: never loop on it */
        limit = grown < SLOT_ALLOC_MAX ? grown : SLOT_ALLOC_MAX;
        s = find_free(s);
    }
    used[s / WORD_BITS] |= 1ull << (s % WORD_BITS);
    hint = s + 1;
    *out = s;
    return OK;
}

void slot_free(capaddr_t slot)
{
    if (slot < CAP_SLOT_FIRST_FREE || slot >= limit || !taken(slot))
        return;
    used[slot / WORD_BITS] &= ~(1ull << (slot % WORD_BITS));
    if (slot < hint)
        hint = slot;
}

capaddr_t slot_limit(void) { return limit; }
