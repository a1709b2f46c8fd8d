/* serve.h — what FS's handlers share: each client's state, the paths of
 * the request being served, and the handlers themselves (files.c: open files,
 * pipes and reading directories; names.c: names, attributes and mounts),
 * which main.c's table lists. */
#ifndef FS_SERVE_H
#define FS_SERVE_H

#include "open.h"

#include <server.h>

struct client {
    struct holder h;
    bool waiting; /* a pipe read or write is to be answered later */
    msg_t req;
};

extern struct srv fs_srv;
/* The request's paths, copied out of the client's grant. */
extern char path_a[FS_PATH_MAX + 1], path_b[FS_PATH_MAX + 1];

static inline struct client *who(struct srv_client *c) { return srv_state(c); }

static inline bool is_mount_root(struct vnode v) { return v.ino == v.m->root; }

static inline err_t sync_one(struct mount *mt) { return mt->ops->sync(mt->fs); }

/* A path from the grant into buf (NUL-terminated). */
MUST_CHECK err_t path_in(const struct srv_client *c, struct fs_path p, char *buf);
/* The same, looked up (vfs_lookup). */
MUST_CHECK err_t lookup(const struct srv_client *c, struct fs_path p, char *buf, bool follow,
                        struct vfs_where *w);
/* v's type (EXT2_S_IF*), 0 if it cannot be read. */
uint16_t type_of(struct vnode v);
/* The server's left(): a client's open files and its wait go with it. */
void fs_client_left(struct srv *s, struct srv_client *c);

#define FS_SERVE_DECL(T, v, n, Rq, Rp, f, ok)                                                      \
    int serve_##n(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r);
FS_MESSAGES(FS_SERVE_DECL)

#endif
