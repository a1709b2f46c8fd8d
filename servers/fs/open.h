/* open.h — open files and the processes that hold them. An open file (a
 * file, a directory or one end of a pipe) has a position and a mode, and is
 * shared by every hold of it; each client's holder lists the holds it has and
 * the ones it lent to a program it starts. When the last hold goes, the open
 * file goes; when a pipe end's last hold goes, the other end hears of it. */
#ifndef FS_OPEN_H
#define FS_OPEN_H

#include "fs.h"

struct pipe {
    uint8_t *buf;
    uint32_t cap, head, count;
    uint32_t readers, writers; /* open files of each end */
};

struct ofile {
    bool used;
    bool pipe_write; /* the writing end of pipe */
    bool dir;        /* a directory: read with FS_READDIR only */
    uint32_t key;    /* the handle's upper half: changes with every use of the entry */
    uint32_t refs;   /* holds, lent ones included */
    uint32_t flags;  /* FS_O_READ, FS_O_WRITE, FS_O_APPEND */
    struct vnode node;
    struct pipe *pipe;
    uint64_t pos;
};

/* A list of table indices, with repeats (a process may hold one twice). */
struct holds {
    uint32_t *at;
    uint32_t n, cap;
};

struct holder {
    struct holds held, lent;
};

/* A new open file of node (pipe NULL) or of a pipe end, held by h. */
MUST_CHECK err_t of_open(struct holder *h, struct vnode node, struct pipe *pipe, bool pipe_write,
                         uint32_t flags, uint64_t *handle);
/* The open file of a handle h holds; NULL if it holds none such. */
struct ofile *of_held(const struct holder *h, uint64_t handle);
/* Lets go of one of h's holds; ERR_BADF if it has none. */
MUST_CHECK err_t of_close(struct holder *h, uint64_t handle);
/* One more hold of a handle h holds, as lent. */
MUST_CHECK err_t of_lend(struct holder *h, uint64_t handle);
/* Moves a lent hold of handle from lender to h; ERR_BADF if lender lent none. */
MUST_CHECK err_t of_adopt(struct holder *lender, struct holder *h, uint64_t handle);
/* Whether h lent handle. */
bool of_lent(const struct holder *h, uint64_t handle);
/* Lets go of everything h holds and lent. */
void of_release(struct holder *h);

/* pipe.c */
MUST_CHECK err_t pipe_new(struct pipe **out);
/* Moves up to len bytes; ERR_WOULDBLOCK when the pipe is empty (read) or full
 * (write) and the other end is still open; a read of an empty pipe without
 * writers gets 0 bytes, a write without readers ERR_PIPE. */
MUST_CHECK err_t pipe_read(struct pipe *p, void *buf, size_t len, size_t *got);
MUST_CHECK err_t pipe_write(struct pipe *p, const void *buf, size_t len, size_t *put);
/* An end's open file went; the pipe goes with its last. */
void pipe_end_closed(struct pipe *p, bool write_end);

/* main.c: something a waiting client may be waiting for has happened. */
void fs_pipes_changed(void);

#endif
