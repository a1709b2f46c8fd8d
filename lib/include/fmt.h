/* fmt.h — printf-style formatting into a buffer, for code without a C library
 * (CPU drivers, early domains). Supports %d %i %u %x %X %p %s %c %% with the
 * flags '-' and '0', a field width, and the length modifiers l, ll, z. */
#ifndef FMT_H
#define FMT_H

#include <stdarg.h>
#include <stddef.h>

/* Like vsnprintf: writes at most cap bytes including the NUL (none if cap is 0)
 * and returns the length the whole output would have. */
size_t fmt_vformat(char *buf, size_t cap, const char *fmt, va_list ap);
size_t fmt_format(char *buf, size_t cap, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The value of a hexadecimal digit (either case), or -1 if c is not one. */
int fmt_hex_digit(int c);

#endif
