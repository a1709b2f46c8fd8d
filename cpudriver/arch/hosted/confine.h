/* confine.h — the loader's seccomp filter (confine.c). */
#pragma once

#include <stdbool.h>

/* Leaves this process only the Linux calls the loader makes once the
 * program runs; any other ends it with SIGSYS. Whether Linux took it. */
bool hostdom_confine(void);
