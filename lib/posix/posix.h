/* posix.h — the parts of the POSIX layer that share state: the descriptor
 * table (fd.c), the console (console.c) and the channel to FS (fs_client.c). */
#ifndef POSIX_INTERNAL_H
#define POSIX_INTERNAL_H

#include <err.h>
#include <proto/fs.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct chan;

/* console.c */
ssize_t console_read(void *buf, size_t len);
ssize_t console_write(const void *buf, size_t len);

/* pm_calls.c: the channel to PM, opened on first use; NULL with errno set if
 * there is none. */
struct chan *pm_chan(void);
/* 0, or -1 with errno set from err. */
int posix_result(err_t err);

/* console.c: whether a read would return at once (a line, or the end). */
bool console_ready(void);

/* fd.c: a descriptor is the console, a hold of an FS handle, or a socket of
 * NET's, shared by the descriptors dup made of it. */
enum fd_kind { FD_NONE, FD_CONSOLE, FD_FILE, FD_SOCKET };

struct open_file {
    uint64_t handle; /* FS's; a socket's: NET's number, and its channel's epoch above */
    uint32_t refs;   /* descriptors of this process that share it */
    uint32_t mode;   /* S_IF* and permission bits, as FS said at the open */
    int flags;       /* O_ACCMODE, O_APPEND and (sockets) O_NONBLOCK, for F_GETFL */
};

struct fd {
    enum fd_kind kind;
    bool cloexec;
    struct open_file *of;
};

/* The descriptor fd, or NULL with errno EBADF. */
struct fd *fd_get(int fd);
/* The lowest free descriptor from min on, now of kind with of (its refs
 * counted); -1 with errno EMFILE/ENOMEM. */
int fd_install(enum fd_kind kind, struct open_file *of, bool cloexec, int min);
/* Whether fd is the console (else errno ENOTTY, or EBADF). */
bool fd_isatty(int fd);
/* Closes fd: the last descriptor of an open file lets go of FS's handle. */
int fd_close(int fd);
/* The descriptors the environment passes (FDS=...), adopted from FS; fds 0-2
 * are the console without it. */
void fd_init(char **envp);
/* A copy of envp for a program about to start, with FDS naming what it
 * inherits (each FS handle lent to it); NULL with errno set. fd_spawned
 * says whether the start worked (if not, the lent holds are taken back) and
 * frees the copy. */
char **fd_env_for_child(char *const envp[]);
void fd_spawned(char **env, bool started);

/* socket.c: what the descriptor calls do with a socket. */
int socket_close(struct open_file *of); /* frees of */
ssize_t socket_read(struct open_file *of, void *buf, size_t len);
ssize_t socket_write(struct open_file *of, const void *buf, size_t len);
int socket_set_nonblock(struct open_file *of, bool on);
/* A poll of sockets (NET_POLL* events): how many are ready, or -1 with errno. */
struct socket_poll {
    struct open_file *of;
    uint16_t events, revents;
};
int socket_poll(struct socket_poll *p, size_t count, int timeout_ms);

/* fs_client.c */
#define FS_GRANT_PATHS 0                 /* two paths, FS_PATH_MAX bytes each */
#define FS_GRANT_DATA  (2 * FS_PATH_MAX) /* data, stat results, entries */
#define FS_DATA_MAX    (64 * 1024)       /* the most one read or write moves */
/* The channel to FS, connected and granted on first use; NULL with errno. */
struct chan *fs_chan(void);
/* The granted frame's address. */
uint8_t *fs_grant(void);
/* path made absolute (the working directory before a relative one) into
 * the grant's which-th path slot; -1 with errno (ENAMETOOLONG, ENOENT for ""). */
int fs_path_put(const char *path, unsigned which, struct fs_path *out);
/* 0 for OK, or -1 with errno from err. */
int fs_result(err_t err);
/* Takes back the frame granted to FS (_exit's). */
void fs_end(void);
/* The working directory (fs_client.c keeps it). */
const char *fs_cwd(void);

#endif
