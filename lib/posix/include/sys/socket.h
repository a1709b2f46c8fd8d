/* sys/socket.h — sockets of the POSIX layer (lib/posix/socket.c): IPv4 TCP
 * and UDP through NET (proto/net.h). Only what the C library implements is
 * declared here; the constants are this system's own. */
#ifndef SYS_SOCKET_H
#define SYS_SOCKET_H

#include <stdint.h>
#include <sys/types.h>

typedef uint32_t socklen_t;
typedef uint16_t sa_family_t;

struct sockaddr {
    sa_family_t sa_family;
    char sa_data[14];
};

/* Room for any address this layer knows. */
struct sockaddr_storage {
    sa_family_t ss_family;
    char ss_data[126];
} __attribute__((aligned(8)));

#define AF_UNSPEC 0
#define AF_INET   2
#define PF_UNSPEC AF_UNSPEC
#define PF_INET   AF_INET

#define SOCK_STREAM   1
#define SOCK_DGRAM    2
#define SOCK_NONBLOCK 0x10000000 /* or'ed into socket()'s type */
#define SOCK_CLOEXEC  0x20000000

#define SOL_SOCKET   1
#define SO_REUSEADDR 2
#define SO_TYPE      3
#define SO_ERROR     4

#define SHUT_RD   0
#define SHUT_WR   1
#define SHUT_RDWR 2

#define MSG_DONTWAIT 0x40
#define MSG_NOSIGNAL 0x4000 /* accepted; this system sends no SIGPIPE */

#define SOMAXCONN 128

int socket(int domain, int type, int protocol);
int bind(int fd, const struct sockaddr *addr, socklen_t len);
int listen(int fd, int backlog);
int accept(int fd, struct sockaddr *addr, socklen_t *len);
int accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags);
int connect(int fd, const struct sockaddr *addr, socklen_t len);
ssize_t send(int fd, const void *buf, size_t len, int flags);
ssize_t recv(int fd, void *buf, size_t len, int flags);
ssize_t sendto(int fd, const void *buf, size_t len, int flags, const struct sockaddr *to,
               socklen_t tolen);
ssize_t recvfrom(int fd, void *buf, size_t len, int flags, struct sockaddr *from,
                 socklen_t *fromlen);
int shutdown(int fd, int how);
int getsockname(int fd, struct sockaddr *addr, socklen_t *len);
int getpeername(int fd, struct sockaddr *addr, socklen_t *len);
int setsockopt(int fd, int level, int name, const void *value, socklen_t len);
int getsockopt(int fd, int level, int name, void *value, socklen_t *len);

#endif
