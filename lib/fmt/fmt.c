/* fmt.c — a small vsnprintf. Never writes past cap; an unknown conversion is
 * copied through literally rather than guessed at. */
#include <fmt.h>
#include <stdint.h>

struct out {
    char *buf;
    size_t cap;
    size_t len;
};

static void put(struct out *o, char c)
{
    if (o->len + 1 < o->cap)
        o->buf[o->len] = c;
    o->len++;
}

static void pad(struct out *o, char c, int n)
{
    while (n-- > 0)
        put(o, c);
}

struct spec {
    int left;
    int zero;
    int width;
};

static void put_field(struct out *o, const struct spec *s, const char *text, size_t len,
                      const char *prefix)
{
    size_t plen = 0;
    while (prefix[plen])
        plen++;
    int fill = s->width - (int)(len + plen);
    if (!s->left && !s->zero)
        pad(o, ' ', fill);
    for (size_t i = 0; i < plen; i++)
        put(o, prefix[i]);
    if (!s->left && s->zero)
        pad(o, '0', fill);
    for (size_t i = 0; i < len; i++)
        put(o, text[i]);
    if (s->left)
        pad(o, ' ', fill);
}

static void put_number(struct out *o, const struct spec *s, uint64_t v, int base, int upper,
                       const char *prefix)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char tmp[24];
    size_t n = 0;
    do {
        tmp[n++] = digits[v % (unsigned)base];
        v /= (unsigned)base;
    } while (v != 0);
    char text[24];
    for (size_t i = 0; i < n; i++)
        text[i] = tmp[n - 1 - i];
    put_field(o, s, text, n, prefix);
}

size_t fmt_vformat(char *buf, size_t cap, const char *fmt, va_list ap)
{
    struct out o = {buf, cap, 0};
    for (const char *p = fmt; *p; p++) {
        if (*p != '%') {
            put(&o, *p);
            continue;
        }
        const char *start = p++;
        struct spec s = {0, 0, 0};
        for (;; p++) {
            if (*p == '-')
                s.left = 1;
            else if (*p == '0')
                s.zero = 1;
            else
                break;
        }
        while (*p >= '0' && *p <= '9' && s.width < 1000)
            s.width = s.width * 10 + (*p++ - '0');
        int longs = 0, size = 0;
        while (*p == 'l') {
            longs++;
            p++;
        }
        if (*p == 'z') {
            size = 1;
            p++;
        }
        switch (*p) {
        case 'd':
        case 'i': {
            int64_t v = size    ? (int64_t)va_arg(ap, long) /* ssize_t */
                        : longs ? (longs > 1 ? va_arg(ap, long long) : va_arg(ap, long))
                                : va_arg(ap, int);
            uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
            put_number(&o, &s, mag, 10, 0, v < 0 ? "-" : "");
            break;
        }
        case 'u':
        case 'x':
        case 'X': {
            uint64_t v =
                size    ? va_arg(ap, size_t)
                : longs ? (longs > 1 ? va_arg(ap, unsigned long long) : va_arg(ap, unsigned long))
                        : va_arg(ap, unsigned int);
            put_number(&o, &s, v, *p == 'u' ? 10 : 16, *p == 'X', "");
            break;
        }
        case 'p':
            put_number(&o, &s, (uintptr_t)va_arg(ap, void *), 16, 0, "0x");
            break;
        case 's': {
            const char *str = va_arg(ap, const char *);
            if (str == NULL)
                str = "(null)";
            size_t len = 0;
            while (str[len])
                len++;
            s.zero = 0;
            put_field(&o, &s, str, len, "");
            break;
        }
        case 'c': {
            char c = (char)va_arg(ap, int);
            s.zero = 0;
            put_field(&o, &s, &c, 1, "");
            break;
        }
        case '%':
            put(&o, '%');
            break;
        default: /* unknown: copy the whole directive through */
            for (const char *q = start; q <= p && *q; q++)
                put(&o, *q);
            if (*p == '\0')
                p--;
            break;
        }
    }
    if (cap > 0)
        buf[o.len < cap ? o.len : cap - 1] = '\0';
    return o.len;
}

size_t fmt_format(char *buf, size_t cap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    size_t n = fmt_vformat(buf, cap, fmt, ap);
    va_end(ap);
    return n;
}

int fmt_hex_digit(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}
