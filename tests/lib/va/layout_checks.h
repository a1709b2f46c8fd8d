/* layout_checks.h — the user layout (va_layout.h) against one architecture's
 * CPU driver (its arch/layout.h, chosen by the include path the including
 * test is built with): the stack and its arguments lie above every region of
 * the layout, and user space reaches past them. */
#ifndef LAYOUT_CHECKS_H
#define LAYOUT_CHECKS_H

#include <arch/layout.h>
#include <lmp_abi.h>
#include <proc_abi.h>
#include <va_layout.h>

#include "test.h"

/* Case names carry the architecture (LAYOUT_ARCH, set by the includer). */
#define LAYOUT_CASE(n)      LAYOUT_CASE_(LAYOUT_ARCH, n)
#define LAYOUT_CASE_(a, n)  LAYOUT_CASE__(a, n)
#define LAYOUT_CASE__(a, n) TEST(a##_##n)

/* What the CPU driver maps below USER_STACK_TOP (cpudriver/spawn.c). */
#define STACK_PAGES 16

LAYOUT_CASE(stack_lies_above_the_dynamic_area)
{
    CHECK(VA_STACK_FLOOR + STACK_PAGES * VA_PAGE <= USER_STACK_TOP);
    CHECK(SPAWN_STACK_MAX <= STACK_PAGES * VA_PAGE);
    CHECK(USER_STACK_TOP <= USER_TOP);
}

LAYOUT_CASE(ipc_buffer_is_where_the_layout_says) { CHECK_EQ(IPC_BUFFER_VA, VA_IPC_BUFFER); }

#endif
