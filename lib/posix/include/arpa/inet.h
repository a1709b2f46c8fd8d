/* arpa/inet.h — IPv4 addresses between text and numbers. */
#ifndef ARPA_INET_H
#define ARPA_INET_H

#include <netinet/in.h>

/* "A.B.C.D" into dst (a struct in_addr): 1, 0 if src is not one, -1 with
 * EAFNOSUPPORT for a family other than AF_INET. */
int inet_pton(int af, const char *src, void *dst);
/* src (a struct in_addr) as "A.B.C.D" into dst: dst, or NULL with ENOSPC. */
const char *inet_ntop(int af, const void *src, char *dst, socklen_t size);
/* "A.B.C.D" in network order, INADDR_NONE if it is not one. */
in_addr_t inet_addr(const char *src);

#endif
