/* cpio_write.c — appends entries to a cpio newc archive in a caller's buffer.
 * Used by the host tool that builds boot archives and by the reader's tests. */
#include <archive.h>
#include <string.h>

#include "cpio_format.h"

size_t archive_entry_space(size_t name_len, size_t size)
{
    return cpio_align4(cpio_align4(ARCHIVE_HEADER_SIZE + name_len + 1) + size);
}

static void put_hex(uint8_t *p, uint32_t v)
{
    static const char digits[] = "0123456789abcdef";
    for (int i = CPIO_FIELD_LEN - 1; i >= 0; i--) {
        p[i] = (uint8_t)digits[v & 0xf];
        v >>= 4;
    }
}

static err_t put_entry(uint8_t *buf, size_t cap, size_t *len, const char *name, const void *data,
                       size_t size, uint32_t mode, uint32_t ino)
{
    size_t name_len = strlen(name);
    if (name_len == 0)
        return ERR_BADNAME;
    if (size > 0xffffffffu || name_len >= 0xffffffffu)
        return ERR_RANGE;
    size_t need = archive_entry_space(name_len, size);
    if (*len > cap || need > cap - *len)
        return ERR_NOSPACE;

    uint8_t *h = buf + *len;
    memset(h, 0, need);
    memcpy(h, CPIO_MAGIC, CPIO_MAGIC_LEN);
    uint32_t fields[CPIO_FIELDS] = {
        [CPIO_INO] = ino,
        [CPIO_MODE] = mode,
        [CPIO_NLINK] = 1,
        [CPIO_FILESIZE] = (uint32_t)size,
        [CPIO_NAMESIZE] = (uint32_t)(name_len + 1),
    };
    for (int f = 0; f < CPIO_FIELDS; f++)
        put_hex(h + CPIO_MAGIC_LEN + (size_t)f * CPIO_FIELD_LEN, fields[f]);
    memcpy(h + ARCHIVE_HEADER_SIZE, name, name_len + 1);
    if (size > 0)
        memcpy(h + cpio_align4(ARCHIVE_HEADER_SIZE + name_len + 1), data, size);
    *len += need;
    return OK;
}

err_t archive_write_entry(uint8_t *buf, size_t cap, size_t *len, const char *name, const void *data,
                          size_t size, uint32_t mode)
{
    if (strcmp(name, ARCHIVE_TRAILER) == 0)
        return ERR_BADNAME;
    /* Inode numbers only need to differ between entries; the offset does. */
    return put_entry(buf, cap, len, name, data, size, mode, (uint32_t)(*len / 4 + 1));
}

err_t archive_write_trailer(uint8_t *buf, size_t cap, size_t *len)
{
    return put_entry(buf, cap, len, ARCHIVE_TRAILER, NULL, 0, 0, 0);
}
