/* harness.h — a server's handlers under libFuzzer, on the host, as the
 * server skeleton (lib/server) would call them: each message of the input
 * is checked against the server's table (proto_find), the payload past its
 * length zeroed, and the handler called with the state of one of a few
 * clients. Answers, grants and the calls a server makes of the rest of the
 * system are this harness's (harness.c); a system call fails with
 * ERR_NOSYS, and a channel to another server finds it dead.
 *
 * An input is a grant's first bytes, then messages:
 *
 *     [2: n, little-endian][n bytes: copied to each client's grant at 0]
 *     ([1: who][1: from][64: msg_t as sent])...
 *
 * who's bits 0-1 name the client. With who's bit 2 set, a word of one of
 * that client's last eight OK answers (from's bits 0-2: 0 the latest; bits
 * 3-4: which of its first four 8-byte words) replaces a word of the
 * request's payload (who's bits 3-5: which of the seven): so a handle a
 * server gave out, which the fuzzer cannot guess, comes back as a client
 * would send it.
 *
 * Client FUZZ_NO_GRANT granted nothing (its copies fail with ERR_NOENT);
 * the others granted FUZZ_GRANT_BYTES, or the server's grant_max if less. After the last message
 * every client leaves (the server's left(), as when a process ends).
 *
 * The harness aborts (a crash libFuzzer keeps) when a handler answers with
 * something not an err_t, when a reply's length is past the payload, when
 * an answer later goes to a client that is not one, or when a server copies
 * outside a grant without an error. ASan and UBSan do the rest. */
#ifndef FUZZ_HARNESS_H
#define FUZZ_HARNESS_H

#include <server.h>
#include <stddef.h>
#include <stdint.h>

#define FUZZ_CLIENTS     4
#define FUZZ_NO_GRANT    3
#define FUZZ_GRANT_BYTES (64 * 1024)

/* A message of this type is no request: it goes to the server's event(), as
 * news from the rest of the system would (a death the monitor reports). */
#define FUZZ_EVENT 0xffff

struct fuzz_server {
    struct srv *srv;          /* its name, table, state_bytes, left() */
    void (*after_each)(void); /* what the server's loop would do between messages; may be NULL */
    void (*event)(const msg_t *m); /* may be NULL */
};

/* Serves the messages of one input (the format above). */
void fuzz_serve_input(const struct fuzz_server *f, const uint8_t *data, size_t size);
/* Answers given later (srv_answer) since the input started. */
unsigned fuzz_answers_later(void);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
