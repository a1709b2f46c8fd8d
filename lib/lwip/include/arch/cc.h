/* arch/cc.h — lwIP's view of the compiler and the C library (newlib): both
 * targets are little-endian; diagnostics go to the console; an assertion of
 * lwIP's own invariants ends NET, which RS then restarts. Random numbers
 * (DHCP transaction ids, TCP's first sequence numbers, ports) come from NET's
 * port (servers/net). */
#ifndef LWIP_ARCH_CC_H
#define LWIP_ARCH_CC_H

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>

/* newlib's machine/endian.h says BYTE_ORDER; its ssize_t is lwIP's. */
#ifndef BYTE_ORDER
#define BYTE_ORDER LITTLE_ENDIAN
#endif
#ifndef SSIZE_MAX
#define SSIZE_MAX LONG_MAX
#endif

#define LWIP_PLATFORM_DIAG(x)                                                                      \
    do {                                                                                           \
        printf x;                                                                                  \
    } while (0)

#define LWIP_PLATFORM_ASSERT(x)                                                                    \
    do {                                                                                           \
        printf("lwip: assertion \"%s\" failed at line %d of %s\n", x, __LINE__, __FILE__);         \
        abort();                                                                                   \
    } while (0)

uint32_t net_random(void);
#define LWIP_RAND() net_random()

#endif
