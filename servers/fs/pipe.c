/* pipe.c — pipes: a ring of PIPE_BYTES in FS's memory between the open
 * files of its two ends. Readers and writers that must wait are answered
 * later (main.c keeps their requests). */
#include "open.h"

#include <stdlib.h>
#include <string.h>

/* POSIX's PIPE_BUF is 512 at least; Linux's pipes hold 64 KiB. */
#define PIPE_BYTES (64 * 1024)

err_t pipe_new(struct pipe **out)
{
    struct pipe *p = calloc(1, sizeof *p);
    if (p == NULL || (p->buf = malloc(PIPE_BYTES)) == NULL) {
        free(p);
        return ERR_NOMEM;
    }
    p->cap = PIPE_BYTES;
    p->readers = p->writers = 1;
    *out = p;
    return OK;
}

err_t pipe_read(struct pipe *p, void *buf, size_t len, size_t *got)
{
    *got = 0;
    if (p->count == 0)
        return p->writers > 0 && len > 0 ? ERR_WOULDBLOCK : OK;
    size_t n = len < p->count ? len : p->count;
    for (size_t done = 0; done < n;) {
        size_t run = p->cap - p->head < n - done ? p->cap - p->head : n - done;
        memcpy((uint8_t *)buf + done, p->buf + p->head, run);
        p->head = (uint32_t)((p->head + run) % p->cap);
        done += run;
    }
    p->count -= (uint32_t)n;
    *got = n;
    return OK;
}

err_t pipe_write(struct pipe *p, const void *buf, size_t len, size_t *put)
{
    *put = 0;
    if (p->readers == 0)
        return ERR_PIPE;
    if (p->count == p->cap)
        return len > 0 ? ERR_WOULDBLOCK : OK;
    size_t n = len < p->cap - p->count ? len : p->cap - p->count;
    for (size_t done = 0; done < n;) {
        uint32_t tail = (p->head + p->count) % p->cap;
        size_t run = p->cap - tail < n - done ? p->cap - tail : n - done;
        memcpy(p->buf + tail, (const uint8_t *)buf + done, run);
        p->count += (uint32_t)run;
        done += run;
    }
    *put = n;
    return OK;
}

void pipe_end_closed(struct pipe *p, bool write_end)
{
    if (write_end)
        p->writers--;
    else
        p->readers--;
    if (p->readers == 0 && p->writers == 0) {
        free(p->buf);
        free(p);
    }
}
