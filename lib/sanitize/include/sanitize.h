/* sanitize.h — the runtime of the hosted platform's sanitizer build
 * (platforms/hosted-san, docs/hosted.md): AddressSanitizer in its outline
 * form (every load and store of instrumented code calls __asan_*), its
 * shadow memory, a heap with red zones and a quarantine, and UBSan's
 * handlers. A report is one line on the console, "asan: ..." or
 * "ubsan: ...", and ends the domain as a fault would. */
#ifndef SANITIZE_H
#define SANITIZE_H

#include <stddef.h>
#include <stdint.h>

/* One shadow byte describes 8 bytes of user space: 0 all of them may be
 * used, 1-7 that many first ones, a negative value none (why, below). The
 * hosted loader maps the shadow of all of user space, empty, at
 * SAN_SHADOW_OFFSET: above its own pages, below Linux's mmap area. */
#define SAN_SHADOW_OFFSET 0x610000000000ull
#define SAN_USER_BOTTOM   0x10000ull
#define SAN_USER_TOP      0x500000000000ull /* the hosted platform's USER_TOP */
#define SAN_SHADOW_BYTES  (SAN_USER_TOP >> 3)

#define SAN_HEAP_LEFT  ((int8_t)0xfa) /* before a block: its header */
#define SAN_HEAP_RIGHT ((int8_t)0xfb) /* after a block */
#define SAN_FREED      ((int8_t)0xfd) /* a block freed, in quarantine */

/* Marks [addr, addr + bytes) (8-aligned) as value, or as usable. */
void san_poison(uintptr_t addr, size_t bytes, int8_t value);
void san_unpoison(uintptr_t addr, size_t bytes);

/* Writes one line to the console, then ends the domain (an illegal
 * instruction: the kernel reports where, with a backtrace):
 *   asan: WHAT: ACCESS of BYTES bytes at ADDR (byte BAD) from pc PC
 * pc is the return address of the check: the instrumented access follows. */
__attribute__((noreturn)) void san_report(const char *prefix, const char *what, const char *access,
                                          uintptr_t addr, size_t bytes, uintptr_t bad,
                                          uintptr_t pc);
/* The same for UBSan: "ubsan: WHAT at FILE:LINE:COLUMN", and the pointer
 * if it is about one (ptr not 0). */
__attribute__((noreturn)) void san_report_at(const char *what, const char *file, uint32_t line,
                                             uint32_t column, uintptr_t ptr);

#endif
