/* kernel.h — types and helpers every part of the CPU driver uses.
 *
 * The CPU driver runs one instance per core. Every writable variable it has
 * (.data, .bss) lives in that core's private frames, mapped at the same virtual
 * address on every core; text and read-only data are shared and mapped
 * read-only. So a plain global here is per-core by construction. */
#ifndef KERNEL_H
#define KERNEL_H

#include <err.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint64_t paddr_t;  /* a physical address */
typedef uint64_t lvaddr_t; /* a kernel virtual address */
typedef uint64_t uvaddr_t; /* a user virtual address: never dereferenced directly */
typedef uint32_t coreid_t; /* a logical core number, 0 = the boot core */

#define MAX_CORES 256
#define PAGE_SIZE 4096ul
#define PAGE_MASK (PAGE_SIZE - 1)

#define ALIGN_UP(x, a)   (((x) + ((a)-1)) & ~((__typeof__(x))(a)-1))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a)-1))
#define ARRAY_LEN(a)     (sizeof(a) / sizeof((a)[0]))

#define NORETURN __attribute__((noreturn))

void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Stops this core after reporting why; the system exits with a failure status.
 * Only for broken kernel invariants, never for what a domain did. */
NORETURN void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The same, for a trap handler whose report already holds the backtrace of
 * the code that trapped (the handler's own chain would say nothing more). */
NORETURN void panic_after_trap(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#define KASSERT(cond)                                                                              \
    do {                                                                                           \
        if (!(cond))                                                                               \
            panic("assertion failed: %s at %s:%d", #cond, __FILE__, __LINE__);                     \
    } while (0)

#endif
