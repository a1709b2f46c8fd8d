/* layout_riscv64_test.c — the user layout against the riscv64 CPU driver's
 * arch/layout.h (its include folder is on this test's include path). */
#define LAYOUT_ARCH riscv64
#include "layout_checks.h"
