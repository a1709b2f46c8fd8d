/* ram.h — RAM on demand: a domain asks its core's monitor for memory and gets
 * a RAM capability of its own, which it retypes into frames (sys.h). The
 * memory goes back when the capability goes (at the latest when the domain
 * ends). */
#ifndef RAM_H
#define RAM_H

#include <cap_types.h>
#include <err.h>
#include <proto/ns.h>
#include <stdint.h>

/* bytes (whole pages) of RAM into the empty slot; *base (if not NULL) gets its
 * physical address. ERR_NOMEM when the machine has no more. */
MUST_CHECK err_t ram_alloc(uint64_t bytes, capaddr_t slot, uint64_t *base);
/* What core's monitor shares out and has left. */
MUST_CHECK err_t ram_info(unsigned core, struct ns_meminfo *info);

#endif
