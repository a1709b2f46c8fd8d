/* libfdt_env.h — what libfdt needs from its environment, for freestanding and
 * host builds alike. libfdt itself is built from its upstream source, fetched by
 * tools/fetch-libfdt into .cache/src/libfdt (which leaves out upstream's own
 * version of this header so that this one is found). */
#ifndef LIBFDT_ENV_H
#define LIBFDT_ENV_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Device trees are big-endian; the values are stored as plain integers. */
typedef uint16_t fdt16_t;
typedef uint32_t fdt32_t;
typedef uint64_t fdt64_t;

static inline uint16_t fdt16_to_cpu(fdt16_t x) { return __builtin_bswap16(x); }
static inline fdt16_t cpu_to_fdt16(uint16_t x) { return __builtin_bswap16(x); }
static inline uint32_t fdt32_to_cpu(fdt32_t x) { return __builtin_bswap32(x); }
static inline fdt32_t cpu_to_fdt32(uint32_t x) { return __builtin_bswap32(x); }
static inline uint64_t fdt64_to_cpu(fdt64_t x) { return __builtin_bswap64(x); }
static inline fdt64_t cpu_to_fdt64(uint64_t x) { return __builtin_bswap64(x); }

_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "every target here is little-endian");

#endif
