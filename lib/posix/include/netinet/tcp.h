/* netinet/tcp.h — TCP's socket options (setsockopt at IPPROTO_TCP). */
#ifndef NETINET_TCP_H
#define NETINET_TCP_H

#define TCP_NODELAY 1 /* send small segments at once, not gathered (Nagle) */

#endif
