/* archive.h — the boot archive: a cpio "newc" archive (magic 070701) holding the
 * boot modules and the boot configuration. The same format on every platform.
 *
 * The reader never reads outside [base, base + size): archive_open walks the whole
 * archive once and rejects it with a precise error if any header, name or payload
 * is malformed, so iterating an opened archive cannot fail. */
#ifndef ARCHIVE_H
#define ARCHIVE_H

#include <err.h>
#include <stddef.h>
#include <stdint.h>

#define ARCHIVE_HEADER_SIZE 110
#define ARCHIVE_TRAILER     "TRAILER!!!"
#define ARCHIVE_MODE_FILE   0100644u

struct archive {
    const uint8_t *base;
    size_t size;       /* bytes up to and including the trailer entry */
    size_t entries;    /* entries before the trailer */
    size_t err_offset; /* where archive_open found a problem, for messages */
};

struct archive_entry {
    const char *name; /* NUL-terminated, inside the archive */
    size_t name_len;
    const uint8_t *data;
    size_t size;
    uint32_t mode;
};

/* An iteration position; start it at ARCHIVE_CURSOR_START. */
typedef size_t archive_cursor_t;
#define ARCHIVE_CURSOR_START ((archive_cursor_t)0)

/* Checks the whole archive. ERR_EMPTY for zero bytes, ERR_BADMAGIC, ERR_BADHDR,
 * ERR_BADNAME, ERR_RANGE (a payload runs past the end) or ERR_TRUNCATED (a header
 * is cut short, or the trailer is missing). */
MUST_CHECK err_t archive_open(struct archive *ar, const void *base, size_t size);

/* The entry at *cursor, then advances it. ERR_END after the last entry. */
MUST_CHECK err_t archive_next(const struct archive *ar, archive_cursor_t *cursor,
                              struct archive_entry *entry);

/* The entry whose name is exactly name, or ERR_NOENT. */
MUST_CHECK err_t archive_find(const struct archive *ar, const char *name,
                              struct archive_entry *entry);

/* Bytes one entry takes in an archive, padding included. */
size_t archive_entry_space(size_t name_len, size_t size);

/* Appends an entry at buf[*len], advancing *len; ERR_NOSPACE leaves *len alone.
 * ERR_BADNAME for an empty name or one that is the trailer's. */
MUST_CHECK err_t archive_write_entry(uint8_t *buf, size_t cap, size_t *len, const char *name,
                                     const void *data, size_t size, uint32_t mode);

/* Appends the trailer entry that ends every archive. */
MUST_CHECK err_t archive_write_trailer(uint8_t *buf, size_t cap, size_t *len);

#endif
