/* grant.h — a client's side of bulk data: a frame of its own, shared with the
 * server at the other end of a channel (proto/srv.h). The client writes into
 * it and names offsets and lengths in its requests; the server copies what it
 * needs before it checks it. */
#ifndef GRANT_H
#define GRANT_H

#include <chan.h>

struct grant {
    capaddr_t ram;   /* the memory it was made of */
    capaddr_t frame; /* 0: none */
    uintptr_t va;
    uint64_t bytes;
};

/* Makes a frame of bytes (a whole number of pages), maps it, and grants it to
 * the server of c. On failure nothing is kept. */
MUST_CHECK err_t grant_offer(struct chan *c, uint64_t bytes, struct grant *g);
/* Grants g's frame again, to the server of c: a server that restarted lost
 * the grant with its life. Its bytes and address stay the client's. */
MUST_CHECK err_t grant_renew(struct chan *c, const struct grant *g);
/* Takes the frame back (the server's mapping goes with it). */
void grant_drop(struct grant *g);

#endif
