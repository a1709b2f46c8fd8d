/* share.h — frames shared across cores. The owner exports a frame through its
 * monitor and passes the export's (core, id) to whoever should have it, as it
 * likes; a domain on any core imports it and gets a frame capability of the
 * same memory. Revoking the owner's frame (or anything above it) takes every
 * imported frame back first, mappings and all, on every core (cap_revoke). */
#ifndef SHARE_H
#define SHARE_H

#include <cap_types.h>
#include <err.h>
#include <proto/ns.h>

/* Exports frame (a Frame capability of the caller); *out says how to name it. */
MUST_CHECK err_t frame_export(capaddr_t frame, struct ns_export *out);
/* A frame of export (core, id) into the empty slot; *bytes gets its size. */
MUST_CHECK err_t frame_import(unsigned core, uint32_t id, capaddr_t slot, uint64_t *bytes);

#endif
