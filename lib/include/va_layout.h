/* va_layout.h — the layout of every user domain's address space, the same on
 * x86-64 and RISC-V (it all lies below Sv39's 256 GiB), and the allocator of
 * its dynamic region. No program picks a virtual address by hand: programs are
 * linked at VA_IMAGE_BASE, the heap grows from VA_HEAP_BASE, and everything
 * mapped at run time (channel pages, device registers, argument pages,
 * scratch) gets its address from va_alloc. */
#ifndef VA_LAYOUT_H
#define VA_LAYOUT_H

#include <err.h>
#include <stddef.h>
#include <stdint.h>

#define VA_PAGE 4096ul

/* Never mapped: a null pointer, or one a little past it, faults. The CPU
 * driver refuses program segments below VA_NULL_END. */
#define VA_NULL_END 0x10000ul
/* One page the CPU driver maps in every domain for local messages
 * (lmp_abi.h's IPC_BUFFER_VA, which must equal it). */
#define VA_IPC_BUFFER 0x3ff000ul
/* The program: text, read-only data, data and bss, as platforms/<p>/user.ld
 * links them (at 4 MiB), up to 252 MiB. */
#define VA_IMAGE_BASE 0x400000ul
#define VA_IMAGE_END  0x10000000ul
/* The heap that sbrk grows into: just under 64 GiB, so that RAM runs out
 * long before addresses do. */
#define VA_HEAP_BASE 0x10000000ul
#define VA_HEAP_END  0x1000000000ul
/* Mappings made at run time, handed out by va_alloc: 128 GiB. */
#define VA_DYN_BASE 0x1000000000ul
#define VA_DYN_END  0x3000000000ul
/* From VA_DYN_END up to the top of user space, only the stack: the CPU driver
 * maps it (and the program's arguments) just below USER_STACK_TOP, which is
 * 0x3ffff00000 on RISC-V, 0x7ffffff00000 on x86-64 and 0x4ffffff00000 hosted
 * (its arch/layout.h). */
#define VA_STACK_FLOOR VA_DYN_END

/* The hosted platform (docs/hosted.md) has the same user space, below
 * 0x500000000000, and above it, in each domain's process, the two pages its
 * loader shares with its core's kernel; lib/sanitize's shadow lies above
 * those (SAN_SHADOW_OFFSET). */
#define VA_HOSTED_DOMPAGE  0x600000000000ul /* struct hosted_dompage */
#define VA_HOSTED_DOORBELL 0x600000001000ul /* its core's doorbell */

/* Live regions va_alloc keeps track of at once (8 bytes each). A domain
 * holds a capability for each thing it maps, so this is far more than the 64
 * slots a domain has today; a full table is ERR_NOSPACE, never a reuse. */
#define VA_REGIONS_MAX 4096u

/* A page-aligned region of the dynamic area for bytes (rounded up to pages),
 * with an unmapped guard page after it that no other region gets. Freed
 * regions are used again. ERR_INVAL for 0 bytes; ERR_NOSPACE when no gap is
 * large enough or the table of regions is full. */
MUST_CHECK err_t va_alloc(size_t bytes, uintptr_t *out);
/* Gives back a region va_alloc returned, with the bytes asked for. Anything
 * else (an address it did not return, another size, a second free) is left
 * alone. Unmap it first (deleting the frame capability does that). */
void va_free(uintptr_t va, size_t bytes);

#endif
