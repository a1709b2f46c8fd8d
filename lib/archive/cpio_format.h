/* cpio_format.h — the layout of a cpio "newc" header, shared by reader and writer. */
#ifndef CPIO_FORMAT_H
#define CPIO_FORMAT_H

#include <stddef.h>

#define CPIO_MAGIC     "070701"
#define CPIO_MAGIC_CRC "070702" /* same layout; the check field is not verified */
#define CPIO_MAGIC_LEN 6
#define CPIO_FIELD_LEN 8

/* Field indices after the magic; each field is 8 hex digits. */
enum cpio_field {
    CPIO_INO,
    CPIO_MODE,
    CPIO_UID,
    CPIO_GID,
    CPIO_NLINK,
    CPIO_MTIME,
    CPIO_FILESIZE,
    CPIO_DEVMAJOR,
    CPIO_DEVMINOR,
    CPIO_RDEVMAJOR,
    CPIO_RDEVMINOR,
    CPIO_NAMESIZE,
    CPIO_CHECK,
    CPIO_FIELDS
};

_Static_assert(CPIO_MAGIC_LEN + CPIO_FIELDS * CPIO_FIELD_LEN == 110, "newc header is 110 bytes");

static inline size_t cpio_align4(size_t n) { return (n + 3) & ~(size_t)3; }

#endif
