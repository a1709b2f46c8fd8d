/* proto/console.h — the console driver's protocol (drivers/serial). Readers
 * get whole lines, edited and echoed by the driver's line discipline; Ctrl-C
 * has PM interrupt the foreground process the shell named to PM
 * (PM_FOREGROUND, PM_INTERRUPT in proto/pm.h). Every request gets
 * one answer, OK or an err_t; a write is answered when its bytes are out, so
 * nothing written is lost at power-off.
 *
 * A write of up to CONS_INLINE_MAX bytes carries them in the message. A longer
 * one goes through the frame the client granted the driver (SRV_GRANT,
 * grant.h): the bytes at offset, len of them, go out as one piece, with none
 * of the kernel's lines in the middle.
 *
 * A write carries a sequence number, the client process's count of its
 * writes, so that a client whose driver died (ERR_DEAD: no answer came) can
 * send it again to the driver that follows (redial.h) and a driver that did
 * write it does not write it twice: the driver remembers, per client process
 * (its core and domain, whichever channel it comes on), the last number it
 * wrote, and answers that number again OK without writing. It forgets when
 * the process ends. A client waits for each answer, so only its last write
 * can come again: any other number is written. 0: no number, always written.
 * What is left: a driver that dies after the bytes went out and before its
 * answer did takes its memory with it, and its successor writes them again
 * (an output device cannot take bytes back). docs/console.md. */
#ifndef PROTO_CONSOLE_H
#define PROTO_CONSOLE_H

#include <proto.h>
#include <stdint.h>

#define CONSOLE_NAME "console"

/* The environment variable init sets for the processes it starts once the
 * console driver is up: its name. Without it, output goes through the kernel
 * (SYS_PRINT) and standard input is empty. */
#define CONSOLE_ENV "CONSOLE"

#define CONS_DATA_MAX   48
#define CONS_INLINE_MAX 40
#define CONS_INLINE     0xffffffffu /* a write's offset: its bytes are in data */
#define CONS_GRANT_MAX  (16 * 1024) /* the largest grant the driver takes */

/* The next bytes of input: a line at most. */
struct cons_data {
    uint32_t len;
    char data[CONS_DATA_MAX];
};

/* Whether a CONS_READ would be answered at once (for poll). */
struct cons_ready {
    uint32_t readable; /* a line, or the end of input, waits */
    uint32_t pad;
};

struct cons_write {
    uint32_t len;
    uint32_t offset; /* in the grant, or CONS_INLINE */
    uint64_t seq;    /* the client's count of its writes; 0: none */
    char data[CONS_INLINE_MAX];
};

static inline bool cons_write_ok(const void *p)
{
    const struct cons_write *w = p;
    return w->offset != CONS_INLINE || w->len <= CONS_INLINE_MAX;
}

/* CONS_READ: answered later if no line is finished; one read at a time. A
 * read a dead driver did not answer took nothing: sent again to the next.
 * CONS_WRITE: answered once it is written, or at once if seq is the last the
 * process wrote (ERR_NOENT: no grant; ERR_RANGE: past the grant's end).
 * CONS_SYNC: answered once everything so far, the kernel's lines too, is out.
 * CONS_POLL: answered at once, with whether a read would be. */
#define CONS_MESSAGES(X)                                                                           \
    X(CONS_READ, 0x300, cons_read, struct proto_none, struct cons_data, PROTO_REISSUE, NULL)       \
    X(CONS_WRITE, 0x302, cons_write, struct cons_write, struct proto_none, PROTO_REISSUE,          \
      cons_write_ok)                                                                               \
    X(CONS_SYNC, 0x303, cons_sync, struct proto_none, struct proto_none, PROTO_IDEMPOTENT, NULL)   \
    X(CONS_POLL, 0x304, cons_poll, struct proto_none, struct cons_ready, PROTO_IDEMPOTENT, NULL)

PROTO_TYPES(cons_msg_type, CONS_MESSAGES)

#endif
