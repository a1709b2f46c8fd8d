/* shadow.c — AddressSanitizer's checks (sanitize.h). Instrumented code calls
 * __asan_loadN_noabort / __asan_storeN_noabort before each access; an
 * access to a byte its shadow says is not to be used is reported. Addresses
 * outside user space are left to the kernel: a fault, as without the
 * sanitizer. */
#include <sanitize.h>
#include <stdbool.h>

static int8_t *shadow_of(uintptr_t a) { return (int8_t *)(SAN_SHADOW_OFFSET + (a >> 3)); }

static bool in_user(uintptr_t a, size_t n)
{
    return a >= SAN_USER_BOTTOM && a < SAN_USER_TOP && n <= SAN_USER_TOP - a;
}

void san_poison(uintptr_t addr, size_t bytes, int8_t value)
{
    if (!in_user(addr, bytes))
        return;
    int8_t *s = shadow_of(addr);
    for (size_t i = 0; i < bytes / 8; i++)
        s[i] = value;
}

void san_unpoison(uintptr_t addr, size_t bytes)
{
    if (!in_user(addr, bytes))
        return;
    int8_t *s = shadow_of(addr);
    for (size_t i = 0; i < bytes / 8; i++)
        s[i] = 0;
    if (bytes % 8)
        s[bytes / 8] = (int8_t)(bytes % 8);
}

/* The first byte of [a, a + n) that may not be used; 0 if none. */
static uintptr_t first_bad(uintptr_t a, size_t n)
{
    if (n == 0 || !in_user(a, n))
        return 0;
    for (uintptr_t x = a; x < a + n; x = (x | 7) + 1) {
        int8_t s = *shadow_of(x);
        if (s == 0)
            continue;
        uintptr_t last = (x | 7) < a + n - 1 ? (x | 7) : a + n - 1;
        if (s < 0 || (int8_t)(last & 7) >= s)
            return s < 0 ? x : (x & ~(uintptr_t)7) + (uintptr_t)s;
    }
    return 0;
}

static const char *why(uintptr_t bad)
{
    switch (*shadow_of(bad)) {
    case SAN_FREED:
        return "use-after-free";
    case SAN_HEAP_LEFT:
        return "heap-buffer-underflow";
    default:
        return "heap-buffer-overflow";
    }
}

static void check(uintptr_t a, size_t n, bool store, uintptr_t pc)
{
    uintptr_t bad = first_bad(a, n);
    if (bad != 0)
        san_report("asan", why(bad), store ? "store" : "load", a, n, bad, pc);
}

#define CHECKS(n)                                                                                  \
    void __asan_load##n##_noabort(uintptr_t a)                                                     \
    {                                                                                              \
        check(a, n, false, (uintptr_t)__builtin_return_address(0));                                \
    }                                                                                              \
    void __asan_store##n##_noabort(uintptr_t a)                                                    \
    {                                                                                              \
        check(a, n, true, (uintptr_t)__builtin_return_address(0));                                 \
    }                                                                                              \
    void __asan_load##n(uintptr_t a)                                                               \
    {                                                                                              \
        check(a, n, false, (uintptr_t)__builtin_return_address(0));                                \
    }                                                                                              \
    void __asan_store##n(uintptr_t a) { check(a, n, true, (uintptr_t)__builtin_return_address(0)); }

CHECKS(1)
CHECKS(2)
CHECKS(4)
CHECKS(8)
CHECKS(16)

void __asan_loadN_noabort(uintptr_t a, size_t n)
{
    check(a, n, false, (uintptr_t)__builtin_return_address(0));
}

void __asan_storeN_noabort(uintptr_t a, size_t n)
{
    check(a, n, true, (uintptr_t)__builtin_return_address(0));
}

void __asan_loadN(uintptr_t a, size_t n)
{
    check(a, n, false, (uintptr_t)__builtin_return_address(0));
}

void __asan_storeN(uintptr_t a, size_t n)
{
    check(a, n, true, (uintptr_t)__builtin_return_address(0));
}

void __asan_handle_no_return(void) {}
