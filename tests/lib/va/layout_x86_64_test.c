/* layout_x86_64_test.c — the user layout against the x86_64 CPU driver's
 * arch/layout.h (its include folder is on this test's include path). */
#define LAYOUT_ARCH x86_64
#include "layout_checks.h"
