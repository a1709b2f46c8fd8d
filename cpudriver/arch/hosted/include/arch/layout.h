/* layout.h — the address space of a hosted domain's process. Its program sees
 * the x86-64 user layout (lib/include/va_layout.h) below USER_TOP; the loader
 * (hostdom) lives where Linux put it, far above; between them, at fixed
 * places (VA_HOSTED_DOMPAGE, VA_HOSTED_DOORBELL of lib/include/va_layout.h),
 * the two pages it shares with its core's kernel. */
#ifndef ARCH_LAYOUT_H
#define ARCH_LAYOUT_H

#include <va_layout.h>

#define USER_TOP       0x0000500000000000ull /* user addresses are below this */
#define USER_STACK_TOP 0x00004ffffff00000ull

#endif
