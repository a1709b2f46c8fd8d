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
    free(conf.services);
    bootconf_count(text, len, &conf);
    conf.modules = malloc((conf.module_cap + 1) * sizeof *conf.modules);
    conf.places = malloc((conf.place_cap + 1) * sizeof *conf.places);
    conf.services = malloc((conf.service_cap + 1) * sizeof *conf.services);
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
    CHECK_STR(why, "module takes NAME and PATH");
    CHECK_EQ(parse("service a b=1 c=2 d=3 e=4 f=5 g=6 h=7 i=8 j=9 k=10 l=11 m=12 n=13 o=14 p=15\n",
                   &why),
             1);
    CHECK_STR(why, "too many words");
}

TEST(program_lines_are_checked_and_left_to_the_build)
{
    const char *why;
    CHECK_EQ(parse("module a x\nprogram ls build/ls.elf\nprogram sh y\n", &why), 0);
    CHECK_EQ(conf.module_count, 1); /* a program is not in the boot archive */
    static const struct {
        const char *text, *why;
    } bad[] = {
        {"program ls\n", "program takes NAME and PATH"},
        {"program abcdefghijklmnopqrstuvwxyz0123456 p\n",
         "program name too long (at most 31 characters)"},
        {"frobnicate x\n", "unknown keyword (expected module, program, place or service)"},
    };
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CHECK_EQ(parse(bad[i].text, &why), 1);
        CHECK_STR(why, bad[i].why);
    }
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
    struct bootconf counts = {0};
    bootconf_count(text, len, &counts);
    CHECK_EQ(counts.module_cap, N);
    CHECK_EQ(counts.place_cap, N);
    CHECK_EQ(counts.service_cap, 0);
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

TEST(service_lines_take_their_settings_and_defaults)
{
    const char *why;
    CHECK_EQ(parse("service serial registers=console devices=console heartbeat=500\n"
                   "service blk restart=never limit=2 backoff=40 devices=bus,console\n"
                   "service plain\n"
                   "service probe start=manual\n",
                   &why),
             0);
    CHECK_EQ(conf.service_count, 4);
    CHECK(bootconf_service(&conf, "probe")->manual);
    CHECK(!bootconf_service(&conf, "plain")->manual);
    const struct bootconf_service *s = bootconf_service(&conf, "serial");
    CHECK(s != NULL);
    CHECK_STR(s->registers, "console");
    CHECK_EQ(s->heartbeat_ms, 500);
    CHECK(s->restart);
    CHECK_EQ(s->limit, BOOTCONF_LIMIT_DEFAULT);
    CHECK_EQ(s->backoff_ms, BOOTCONF_BACKOFF_DEFAULT);
    CHECK_EQ(s->line, 1);
    s = bootconf_service(&conf, "blk");
    CHECK(!s->restart);
    CHECK_EQ(s->limit, 2);
    CHECK_EQ(s->backoff_ms, 40);
    CHECK(bootconf_service_has_device(s, "bus"));
    CHECK(bootconf_service_has_device(s, "console"));
    CHECK(!bootconf_service_has_device(s, "bu"));
    CHECK(!bootconf_service_has_device(s, "consol"));
    s = bootconf_service(&conf, "plain");
    CHECK_STR(s->registers, "");
    CHECK(!bootconf_service_has_device(s, "console"));
    CHECK_EQ(s->heartbeat_ms, 0);
    CHECK(bootconf_service(&conf, "nothere") == NULL);
}

TEST(bad_service_lines_are_blamed_with_the_reason)
{
    const char *why;
    CHECK_EQ(parse("place a 1\nservice\n", &why), 2);
    CHECK_STR(why, "service takes NAME and KEY=VALUE settings");
    CHECK_EQ(parse("service a restart=sometimes\n", &why), 1);
    CHECK_STR(why, "restart is always or never");
    CHECK_EQ(parse("service a heartbeat=-5\n", &why), 1);
    CHECK_STR(why, "heartbeat is milliseconds");
    CHECK_EQ(parse("service a limit=9999999999\n", &why), 1);
    CHECK_STR(why, "limit is a number of restarts");
    CHECK_EQ(parse("service a backoff=0\n", &why), 1);
    CHECK_STR(why, "backoff is milliseconds, at least 1");
    CHECK_EQ(parse("service a colour=red\n", &why), 1);
    CHECK_STR(why, "unknown service setting (restart, start, heartbeat, limit, backoff, registers, "
                   "devices)");
    CHECK_EQ(parse("service a start=later\n", &why), 1);
    CHECK_STR(why, "start is boot or manual");
    CHECK_EQ(parse("service a heartbeat\n", &why), 1);
    CHECK_STR(why, "service settings are KEY=VALUE");
    CHECK_EQ(parse("service a registers=\n", &why), 1);
    CHECK_STR(why, "registers takes a name of 1 to 31 characters");
    CHECK_EQ(parse("service a\nservice a\n", &why), 2);
    CHECK_STR(why, "service named twice");
    CHECK_EQ(parse("service abcdefghijklmnopqrstuvwxyz0123456\n", &why), 1);
    CHECK_STR(why, "service name too long (at most 31 characters)");
}

TEST(nul_byte_is_refused_not_read_past)
{
    const char text[] = "module a b\nmod\0ule c d\n";
    const char *why;
    CHECK_EQ(parse_len(text, sizeof text - 1, &why), 2);
    CHECK_STR(why, "NUL byte in text");
}
