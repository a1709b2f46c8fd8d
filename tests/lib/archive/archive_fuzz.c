/* archive_fuzz.c — libFuzzer target: any bytes given to archive_open either are
 * rejected or iterate cleanly, and never make the reader touch memory outside
 * them. Run: build/host-fuzz/tests/lib/archive/archive_fuzz -max_total_time=60 */
#include <archive.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct archive ar;
    if (archive_open(&ar, data, size) != OK)
        return 0;
    archive_cursor_t cursor = ARCHIVE_CURSOR_START;
    struct archive_entry e;
    size_t seen = 0;
    while (archive_next(&ar, &cursor, &e) == OK) {
        if (e.data < data || e.data + e.size > data + size || e.name[e.name_len] != '\0')
            abort();
        struct archive_entry found;
        if (archive_find(&ar, e.name, &found) != OK)
            abort();
        seen++;
    }
    if (seen != ar.entries)
        abort();
    return 0;
}
