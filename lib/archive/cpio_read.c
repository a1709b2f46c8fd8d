/* cpio_read.c — reads a cpio newc boot archive in place. Runs in the CPU driver,
 * in domains and on the host; never reads outside the bytes it was given. */
#include <archive.h>
#include <fmt.h>
#include <string.h>

#include "cpio_format.h"

struct raw_entry {
    size_t header;   /* offset of the header */
    size_t name;     /* offset of the name */
    size_t namesize; /* including the NUL */
    size_t data;     /* offset of the payload */
    size_t filesize;
    uint32_t mode;
    size_t next; /* offset of the next header */
};

static err_t parse_field(const uint8_t *header, enum cpio_field field, uint32_t *value)
{
    const uint8_t *p = header + CPIO_MAGIC_LEN + (size_t)field * CPIO_FIELD_LEN;
    uint32_t v = 0;
    for (size_t i = 0; i < CPIO_FIELD_LEN; i++) {
        int d = fmt_hex_digit(p[i]);
        if (d < 0)
            return ERR_BADHDR;
        v = (v << 4) | (uint32_t)d;
    }
    *value = v;
    return OK;
}

static int magic_matches(const uint8_t *p, size_t avail)
{
    size_t n = avail < CPIO_MAGIC_LEN ? avail : CPIO_MAGIC_LEN;
    return memcmp(p, CPIO_MAGIC, n) == 0 || memcmp(p, CPIO_MAGIC_CRC, n) == 0;
}

/* Decodes the entry at off in base[0..size); every offset it returns is in bounds. */
static err_t parse_entry(const uint8_t *base, size_t size, size_t off, struct raw_entry *e)
{
    size_t avail = size - off;
    if (!magic_matches(base + off, avail))
        return ERR_BADMAGIC;
    if (avail < ARCHIVE_HEADER_SIZE)
        return ERR_TRUNCATED;

    const uint8_t *h = base + off;
    uint32_t namesize, filesize, mode;
    err_t err;
    if ((err = parse_field(h, CPIO_NAMESIZE, &namesize)) != OK ||
        (err = parse_field(h, CPIO_FILESIZE, &filesize)) != OK ||
        (err = parse_field(h, CPIO_MODE, &mode)) != OK)
        return err;
    for (int f = 0; f < CPIO_FIELDS; f++) {
        uint32_t ignored;
        if (parse_field(h, (enum cpio_field)f, &ignored) != OK)
            return ERR_BADHDR;
    }

    avail -= ARCHIVE_HEADER_SIZE;
    if (namesize == 0)
        return ERR_BADNAME;
    if (namesize > avail)
        return ERR_TRUNCATED;
    const uint8_t *name = h + ARCHIVE_HEADER_SIZE;
    if (name[namesize - 1] != '\0' || memchr(name, '\0', namesize - 1) != NULL)
        return ERR_BADNAME;

    size_t data = cpio_align4(off + ARCHIVE_HEADER_SIZE + namesize);
    if (data > size || filesize > size - data)
        return ERR_RANGE;

    e->header = off;
    e->name = off + ARCHIVE_HEADER_SIZE;
    e->namesize = namesize;
    e->data = data;
    e->filesize = filesize;
    e->mode = mode;
    e->next = cpio_align4(data + filesize);
    return OK;
}

static int is_trailer(const uint8_t *base, const struct raw_entry *e)
{
    return e->namesize == sizeof(ARCHIVE_TRAILER) &&
           memcmp(base + e->name, ARCHIVE_TRAILER, sizeof(ARCHIVE_TRAILER)) == 0;
}

err_t archive_open(struct archive *ar, const void *base, size_t size)
{
    ar->base = base;
    ar->size = 0;
    ar->entries = 0;
    ar->err_offset = 0;
    if (base == NULL || size == 0)
        return ERR_EMPTY;

    size_t off = 0;
    for (;;) {
        struct raw_entry e;
        if (off >= size) {
            ar->err_offset = off;
            return ERR_TRUNCATED; /* ran out of bytes before the trailer */
        }
        err_t err = parse_entry(ar->base, size, off, &e);
        if (err != OK) {
            ar->err_offset = off;
            return err;
        }
        if (is_trailer(ar->base, &e)) {
            ar->size = e.next < size ? e.next : size;
            return OK;
        }
        ar->entries++;
        off = e.next;
    }
}

err_t archive_next(const struct archive *ar, archive_cursor_t *cursor, struct archive_entry *entry)
{
    struct raw_entry e;
    if (ar->size == 0 || *cursor >= ar->size)
        return ERR_END;
    if (parse_entry(ar->base, ar->size, *cursor, &e) != OK || is_trailer(ar->base, &e))
        return ERR_END;
    entry->name = (const char *)(ar->base + e.name);
    entry->name_len = e.namesize - 1;
    entry->data = ar->base + e.data;
    entry->size = e.filesize;
    entry->mode = e.mode;
    *cursor = e.next;
    return OK;
}

err_t archive_find(const struct archive *ar, const char *name, struct archive_entry *entry)
{
    archive_cursor_t cursor = ARCHIVE_CURSOR_START;
    size_t len = strlen(name);
    struct archive_entry e;
    while (archive_next(ar, &cursor, &e) == OK) {
        if (e.name_len == len && memcmp(e.name, name, len) == 0) {
            *entry = e;
            return OK;
        }
    }
    return ERR_NOENT;
}
