/* bootconf_test.c — boot.conf parsing: what it accepts, the line it blames, and
 * that its tables are as large as the text needs (hundreds of modules). */
#include <bootconf.h>
#include <stdbool.h>
#include <stdlib.h>

#include "test.h"

static struct bootconf conf;

/* Parses text into tables sized by bootconf_count, exactly, so that
 * AddressSanitizer catches a write past them. */
static int parse_len(const char *text, size_t len, const char **why)
{
    free(conf.modules);
    free(conf.places);
    bootconf_count(text, len, &conf.module_cap, &conf.place_cap);
    conf.modules = malloc((conf.module_cap + 1) * sizeof *conf.modules);
    conf.places = malloc((conf.place_cap + 1) * sizeof *conf.places);
    return bootconf_parse(text, len, &conf, why);
}

static int parse(const char *text, const char **why) { return parse_len(text, strlen(text), why); }

static bool path_is(const struct bootconf_module *m, const char *path)
{
    return m->path_len == strlen(path) && memcmp(m->path, path, m->path_len) == 0;
}

TEST(reads_modules_and_places)
{
    const char *why;
    CHECK_EQ(
        parse("# comment\n\nmodule monitor build/m  # trailing\nplace pm 1\nplace sh any\n", &why),
        0);
    CHECK_EQ(conf.module_count, 1);
    CHECK_STR(conf.modules[0].name, "monitor");
    CHECK(path_is(&conf.modules[0], "build/m"));
    CHECK_EQ(conf.modules[0].line, 3);
    CHECK_EQ(conf.place_count, 2);
    CHECK_STR(conf.places[0].name, "pm");
    CHECK_EQ(conf.places[0].core, 1);
    CHECK_EQ(conf.places[1].core, BOOTCONF_CORE_ANY);
}

TEST(last_line_needs_no_newline_and_tabs_separate)
{
    const char *why;
    CHECK_EQ(parse("module\ta\tb", &why), 0);
    CHECK_EQ(conf.module_count, 1);
    CHECK(path_is(&conf.modules[0], "b"));
}

TEST(empty_text_is_an_empty_config)
{
    const char *why;
    CHECK_EQ(parse_len("", 0, &why), 0);
    CHECK_EQ(conf.module_count, 0);
    CHECK_EQ(conf.place_count, 0);
}

TEST(bad_lines_are_blamed_by_number)
{
    const char *why;
    CHECK_EQ(parse("module a b\nmodule c\n", &why), 2);
    CHECK_STR(why, "module takes NAME and PATH");
    CHECK_EQ(parse("\n\nfrobnicate x\n", &why), 3);
    CHECK_EQ(parse("place pm one\n", &why), 1);
    CHECK_STR(why, "CORE must be a number or \"any\"");
    CHECK_EQ(parse("place pm 1234567\n", &why), 1);
    CHECK_EQ(parse("module a b c d e\n", &why), 1);
    CHECK_STR(why, "too many words");
}

TEST(reserved_and_duplicate_names_are_refused)
{
    const char *why;
    CHECK_EQ(parse("module boot.conf x\n", &why), 1);
    CHECK_EQ(parse("module a x\nmodule a y\n", &why), 2);
    CHECK_STR(why, "module name used twice");
}

/* A name of BOOTCONF_NAME_MAX - 1 characters fits; one more is refused, and
 * the message says what the limit is. */
TEST(names_up_to_the_limit_are_read_and_longer_ones_refused)
{
    char text[256] = "module ";
    const char *why;
    memset(text + 7, 'n', BOOTCONF_NAME_MAX - 1);
    strcat(text, " p\nplace ");
    memset(text + strlen(text), 'n', BOOTCONF_NAME_MAX - 1);
    strcat(text, " 2\n");
    CHECK_EQ(parse(text, &why), 0);
    CHECK_EQ(strlen(conf.modules[0].name), BOOTCONF_NAME_MAX - 1);
    CHECK_STR(conf.modules[0].name, conf.places[0].name);

    memset(text, 0, sizeof text);
    strcpy(text, "module ");
    memset(text + 7, 'n', BOOTCONF_NAME_MAX);
    strcat(text, " p\n");
    CHECK_EQ(parse(text, &why), 1);
    CHECK_STR(why, "module name too long (at most 31 characters)");
    memcpy(text, "place  ", 7);
    CHECK_EQ(parse(text, &why), 1);
    CHECK_STR(why, "place name too long (at most 31 characters)");
}

TEST(long_paths_are_read_whole)
{
    static char text[8192];
    const char *why;
    strcpy(text, "module n ");
    memset(text + 9, 'p', 5000);
    CHECK_EQ(parse(text, &why), 0);
    CHECK_EQ(conf.modules[0].path_len, 5000);
}

TEST(three_hundred_modules_and_places_fill_tables_sized_from_the_text)
{
    enum { N = 300 };
    static char text[N * 64];
    const char *why;
    size_t len = 0;
    for (int i = 0; i < N; i++)
        len += (size_t)snprintf(text + len, sizeof text - len,
                                "module m%d build/p%d\nplace m%d %d\n", i, i, i, i % 7);
    size_t modules, places;
    bootconf_count(text, len, &modules, &places);
    CHECK_EQ(modules, N);
    CHECK_EQ(places, N);
    CHECK_EQ(parse_len(text, len, &why), 0);
    CHECK_EQ(conf.module_count, N);
    CHECK_EQ(conf.place_count, N);
    CHECK_STR(conf.modules[N - 1].name, "m299");
    CHECK(path_is(&conf.modules[N - 1], "build/p299"));
    CHECK_EQ(conf.modules[N - 1].line, 2 * N - 1);
    CHECK_EQ(conf.places[N - 1].core, 299 % 7);
}

TEST(a_table_smaller_than_the_count_is_refused_not_overrun)
{
    const char *text = "module a x\nmodule b y\nplace a 1\nplace b 2\n";
    const char *why;
    struct bootconf_module modules[1];
    struct bootconf_place places[2];
    struct bootconf small = {.modules = modules, .module_cap = 1, .places = places, .place_cap = 2};
    CHECK_EQ(bootconf_parse(text, strlen(text), &small, &why), 2);
    CHECK_STR(why, "more module lines than the table was sized for (see bootconf_count)");
    small.module_cap = 2;
    struct bootconf_module two[2];
    small.modules = two;
    small.place_cap = 1;
    CHECK_EQ(bootconf_parse(text, strlen(text), &small, &why), 4);
    CHECK_STR(why, "more place lines than the table was sized for (see bootconf_count)");
}

TEST(nul_byte_is_refused_not_read_past)
{
    const char text[] = "module a b\nmod\0ule c d\n";
    const char *why;
    CHECK_EQ(parse_len(text, sizeof text - 1, &why), 2);
    CHECK_STR(why, "NUL byte in text");
}
