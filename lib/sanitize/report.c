/* report.c — a sanitizer's one line on the console (SYS_PRINT, straight:
 * the runtime depends on no library), then the end of the domain. */
#include <sanitize.h>
#include <stdbool.h>

#define SYS_PRINT 1

static void print(const char *s, size_t n)
{
    uint64_t err, value;
    __asm__ volatile("syscall"
                     : "=a"(err), "=d"(value)
                     : "a"((uint64_t)SYS_PRINT), "D"(s), "S"(n)
                     : "rcx", "r11", "memory");
    (void)err, (void)value;
}

struct line {
    char buf[256];
    size_t len;
};

static void put(struct line *l, const char *s)
{
    while (*s && l->len < sizeof l->buf - 1)
        l->buf[l->len++] = *s++;
}

static void put_number(struct line *l, uint64_t v, unsigned base)
{
    char digits[24];
    unsigned n = 0;
    do
        digits[n++] = "0123456789abcdef"[v % base];
    while ((v /= base) != 0 && n < sizeof digits);
    if (base == 16)
        put(l, "0x");
    while (n > 0 && l->len < sizeof l->buf - 1)
        l->buf[l->len++] = digits[--n];
}

static __attribute__((noreturn)) void end(struct line *l)
{
    put(l, "\n");
    print(l->buf, l->len);
    __builtin_trap();
}

void san_report(const char *prefix, const char *what, const char *access, uintptr_t addr,
                size_t bytes, uintptr_t bad, uintptr_t pc)
{
    struct line l = {.len = 0};
    put(&l, prefix);
    put(&l, ": ");
    put(&l, what);
    put(&l, ": ");
    put(&l, access);
    put(&l, " of ");
    put_number(&l, bytes, 10);
    put(&l, " bytes at ");
    put_number(&l, addr, 16);
    put(&l, " (byte ");
    put_number(&l, bad, 16);
    put(&l, ") from pc ");
    put_number(&l, pc, 16);
    end(&l);
}

void san_report_at(const char *what, const char *file, uint32_t line, uint32_t column,
                   uintptr_t ptr)
{
    struct line l = {.len = 0};
    put(&l, "ubsan: ");
    put(&l, what);
    put(&l, " at ");
    put(&l, file != NULL ? file : "?");
    put(&l, ":");
    put_number(&l, line, 10);
    put(&l, ":");
    put_number(&l, column, 10);
    if (ptr != 0) {
        put(&l, " (pointer ");
        put_number(&l, ptr, 16);
        put(&l, ")");
    }
    end(&l);
}
