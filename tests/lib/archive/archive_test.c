/* archive_test.c — the boot archive reader finds what the writer wrote, and turns
 * every kind of damage into its own error without reading out of bounds. The
 * damaged archives are copied into exactly-sized heap buffers, so AddressSanitizer
 * catches any read past the end. */
#include <archive.h>
#include <stdlib.h>

#include "test.h"

#define CAP 4096

struct sample {
    uint8_t buf[CAP];
    size_t len;
};

static void build_sample(struct sample *s)
{
    s->len = 0;
    if (archive_write_entry(s->buf, CAP, &s->len, "monitor", "MONITOR-ELF", 11,
                            ARCHIVE_MODE_FILE) != OK ||
        archive_write_entry(s->buf, CAP, &s->len, "boot.conf", "module x\n", 9,
                            ARCHIVE_MODE_FILE) != OK ||
        archive_write_entry(s->buf, CAP, &s->len, "empty", "", 0, ARCHIVE_MODE_FILE) != OK ||
        archive_write_trailer(s->buf, CAP, &s->len) != OK)
        abort();
}

/* Opens a heap copy of the first len bytes, so that reading past len is caught. */
static err_t open_copy(const uint8_t *bytes, size_t len, struct archive *ar, uint8_t **copy)
{
    *copy = malloc(len ? len : 1);
    memcpy(*copy, bytes, len);
    return archive_open(ar, *copy, len);
}

TEST(finds_entries_by_name)
{
    struct sample s;
    build_sample(&s);
    struct archive ar;
    struct archive_entry e;
    CHECK_EQ(archive_open(&ar, s.buf, s.len), OK);
    CHECK_EQ(ar.entries, 3);
    CHECK_EQ(archive_find(&ar, "boot.conf", &e), OK);
    CHECK_EQ(e.size, 9);
    CHECK(memcmp(e.data, "module x\n", 9) == 0);
    CHECK_STR(e.name, "boot.conf");
    CHECK_EQ(e.mode, ARCHIVE_MODE_FILE);
    CHECK_EQ(archive_find(&ar, "empty", &e), OK);
    CHECK_EQ(e.size, 0);
}

TEST(missing_name_is_noent)
{
    struct sample s;
    build_sample(&s);
    struct archive ar;
    struct archive_entry e;
    CHECK_EQ(archive_open(&ar, s.buf, s.len), OK);
    CHECK_EQ(archive_find(&ar, "monitor2", &e), ERR_NOENT);
    CHECK_EQ(archive_find(&ar, "monito", &e), ERR_NOENT);
    CHECK_EQ(archive_find(&ar, ARCHIVE_TRAILER, &e), ERR_NOENT);
}

TEST(iterates_in_order_then_ends)
{
    struct sample s;
    build_sample(&s);
    struct archive ar;
    struct archive_entry e;
    archive_cursor_t c = ARCHIVE_CURSOR_START;
    CHECK_EQ(archive_open(&ar, s.buf, s.len), OK);
    CHECK_EQ(archive_next(&ar, &c, &e), OK);
    CHECK_STR(e.name, "monitor");
    CHECK_EQ(archive_next(&ar, &c, &e), OK);
    CHECK_STR(e.name, "boot.conf");
    CHECK_EQ(archive_next(&ar, &c, &e), OK);
    CHECK_STR(e.name, "empty");
    CHECK_EQ(archive_next(&ar, &c, &e), ERR_END);
    CHECK_EQ(archive_next(&ar, &c, &e), ERR_END);
}

TEST(payloads_are_four_byte_aligned)
{
    struct sample s;
    build_sample(&s);
    struct archive ar;
    struct archive_entry e;
    archive_cursor_t c = ARCHIVE_CURSOR_START;
    CHECK_EQ(archive_open(&ar, s.buf, s.len), OK);
    while (archive_next(&ar, &c, &e) == OK)
        CHECK_EQ((uintptr_t)(e.data - s.buf) % 4, 0);
}

TEST(zero_bytes_is_empty)
{
    struct archive ar;
    uint8_t *copy;
    CHECK_EQ(open_copy((const uint8_t *)"", 0, &ar, &copy), ERR_EMPTY);
    free(copy);
    CHECK_EQ(archive_open(&ar, NULL, 0), ERR_EMPTY);
}

TEST(trailer_only_archive_has_no_entries)
{
    uint8_t buf[256];
    size_t len = 0;
    struct archive ar;
    struct archive_entry e;
    CHECK_EQ(archive_write_trailer(buf, sizeof buf, &len), OK);
    CHECK_EQ(archive_open(&ar, buf, len), OK);
    CHECK_EQ(ar.entries, 0);
    CHECK_EQ(archive_find(&ar, "monitor", &e), ERR_NOENT);
}

TEST(bad_magic_is_rejected)
{
    struct sample s;
    build_sample(&s);
    s.buf[3] = '9';
    struct archive ar;
    CHECK_EQ(archive_open(&ar, s.buf, s.len), ERR_BADMAGIC);
    CHECK_EQ(ar.err_offset, 0);
}

TEST(bad_magic_in_a_later_header_names_its_offset)
{
    struct sample s;
    build_sample(&s);
    size_t second = archive_entry_space(strlen("monitor"), 11);
    s.buf[second] = 'x';
    struct archive ar;
    CHECK_EQ(archive_open(&ar, s.buf, s.len), ERR_BADMAGIC);
    CHECK_EQ(ar.err_offset, second);
}

TEST(non_hex_header_field_is_rejected)
{
    struct sample s;
    build_sample(&s);
    s.buf[6 + 8 * 6 + 2] = 'g'; /* inside filesize */
    struct archive ar;
    CHECK_EQ(archive_open(&ar, s.buf, s.len), ERR_BADHDR);
}

TEST(every_truncation_is_an_error_without_overread)
{
    struct sample s;
    build_sample(&s);
    /* Every proper prefix that cuts into the archive before its trailer's name
     * must be rejected; ASan checks that no byte past the prefix is read. */
    size_t trailer = s.len - archive_entry_space(strlen(ARCHIVE_TRAILER), 0);
    for (size_t len = 1; len < trailer + ARCHIVE_HEADER_SIZE + 11; len++) {
        struct archive ar;
        uint8_t *copy;
        err_t err = open_copy(s.buf, len, &ar, &copy);
        free(copy);
        if (err == OK) {
            test_fail(__FILE__, __LINE__, "prefix of %zu bytes opened", len);
            return;
        }
        CHECK(err == ERR_TRUNCATED || err == ERR_RANGE || err == ERR_BADMAGIC);
    }
}

TEST(missing_trailer_is_truncated)
{
    struct sample s;
    build_sample(&s);
    size_t without = s.len - archive_entry_space(strlen(ARCHIVE_TRAILER), 0);
    struct archive ar;
    uint8_t *copy;
    CHECK_EQ(open_copy(s.buf, without, &ar, &copy), ERR_TRUNCATED);
    free(copy);
    CHECK_EQ(ar.err_offset, without);
}

TEST(payload_running_past_end_is_range)
{
    uint8_t buf[512];
    size_t len = 0;
    CHECK_EQ(archive_write_entry(buf, sizeof buf, &len, "a", "abcd", 4, ARCHIVE_MODE_FILE), OK);
    CHECK_EQ(archive_write_trailer(buf, sizeof buf, &len), OK);
    memcpy(buf + 6 + 8 * 6, "7ffffff0", 8); /* filesize */
    struct archive ar;
    uint8_t *copy;
    CHECK_EQ(open_copy(buf, len, &ar, &copy), ERR_RANGE);
    free(copy);
    memcpy(buf + 6 + 8 * 6, "ffffffff", 8);
    CHECK_EQ(open_copy(buf, len, &ar, &copy), ERR_RANGE);
    free(copy);
}

TEST(name_without_terminator_is_badname)
{
    uint8_t buf[512];
    size_t len = 0;
    CHECK_EQ(archive_write_entry(buf, sizeof buf, &len, "abc", "x", 1, ARCHIVE_MODE_FILE), OK);
    CHECK_EQ(archive_write_trailer(buf, sizeof buf, &len), OK);
    buf[ARCHIVE_HEADER_SIZE + 3] = 'd'; /* overwrite the NUL */
    struct archive ar;
    CHECK_EQ(archive_open(&ar, buf, len), ERR_BADNAME);
}

TEST(zero_namesize_is_badname)
{
    uint8_t buf[512];
    size_t len = 0;
    CHECK_EQ(archive_write_entry(buf, sizeof buf, &len, "abc", "x", 1, ARCHIVE_MODE_FILE), OK);
    CHECK_EQ(archive_write_trailer(buf, sizeof buf, &len), OK);
    memcpy(buf + 6 + 8 * 11, "00000000", 8);
    struct archive ar;
    CHECK_EQ(archive_open(&ar, buf, len), ERR_BADNAME);
}

TEST(namesize_past_end_is_truncated)
{
    uint8_t buf[512];
    size_t len = 0;
    CHECK_EQ(archive_write_entry(buf, sizeof buf, &len, "abc", "x", 1, ARCHIVE_MODE_FILE), OK);
    CHECK_EQ(archive_write_trailer(buf, sizeof buf, &len), OK);
    memcpy(buf + 6 + 8 * 11, "fffffff0", 8);
    struct archive ar;
    CHECK_EQ(archive_open(&ar, buf, len), ERR_TRUNCATED);
}

TEST(writer_refuses_small_buffer_and_keeps_length)
{
    uint8_t buf[100];
    size_t len = 0;
    CHECK_EQ(archive_write_entry(buf, sizeof buf, &len, "abc", "x", 1, ARCHIVE_MODE_FILE),
             ERR_NOSPACE);
    CHECK_EQ(len, 0);
}

TEST(writer_refuses_empty_and_trailer_names)
{
    uint8_t buf[512];
    size_t len = 0;
    CHECK_EQ(archive_write_entry(buf, sizeof buf, &len, "", "x", 1, ARCHIVE_MODE_FILE),
             ERR_BADNAME);
    CHECK_EQ(archive_write_entry(buf, sizeof buf, &len, ARCHIVE_TRAILER, "x", 1, ARCHIVE_MODE_FILE),
             ERR_BADNAME);
    CHECK_EQ(len, 0);
}

TEST(entry_space_matches_what_the_writer_uses)
{
    for (size_t name = 1; name < 9; name++) {
        for (size_t size = 0; size < 9; size++) {
            uint8_t buf[512];
            char n[16];
            size_t len = 0;
            memset(n, 'n', name);
            n[name] = '\0';
            CHECK_EQ(
                archive_write_entry(buf, sizeof buf, &len, n, "123456789", size, ARCHIVE_MODE_FILE),
                OK);
            CHECK_EQ(len, archive_entry_space(name, size));
            CHECK_EQ(len % 4, 0);
        }
    }
}

/* The writer and reader have no table of entries: 300 modules (and more)
 * are found by name and in order, the last as well as the first. */
TEST(three_hundred_entries_are_written_found_and_listed)
{
    enum { N = 300 };
    size_t cap = 0;
    char name[32];
    for (int i = 0; i < N; i++)
        cap += archive_entry_space((size_t)snprintf(name, sizeof name, "module%03d", i), 4);
    cap += archive_entry_space(strlen(ARCHIVE_TRAILER), 0);
    uint8_t *buf = malloc(cap);
    size_t len = 0;
    for (int i = 0; i < N; i++) {
        snprintf(name, sizeof name, "module%03d", i);
        CHECK_EQ(archive_write_entry(buf, cap, &len, name, &i, 4, ARCHIVE_MODE_FILE), OK);
    }
    CHECK_EQ(archive_write_trailer(buf, cap, &len), OK);
    CHECK_EQ(len, cap);

    struct archive ar;
    struct archive_entry e;
    CHECK_EQ(archive_open(&ar, buf, len), OK);
    CHECK_EQ(ar.entries, N);
    CHECK_EQ(archive_find(&ar, "module299", &e), OK);
    int v;
    memcpy(&v, e.data, 4);
    CHECK_EQ(v, 299);
    archive_cursor_t c = ARCHIVE_CURSOR_START;
    int seen = 0;
    while (archive_next(&ar, &c, &e) == OK) {
        snprintf(name, sizeof name, "module%03d", seen++);
        CHECK_STR(e.name, name);
    }
    CHECK_EQ(seen, N);
    free(buf);
}
