/* bootconf_test.c — boot.conf parsing: what it accepts, and the line it blames. */
#include <bootconf.h>

#include "test.h"

static struct bootconf conf;

static int parse(const char *text, const char **why)
{
    return bootconf_parse(text, strlen(text), &conf, why);
}

TEST(reads_modules_and_places)
{
    const char *why;
    CHECK_EQ(
        parse("# comment\n\nmodule monitor build/m  # trailing\nplace pm 1\nplace sh any\n", &why),
        0);
    CHECK_EQ(conf.module_count, 1);
    CHECK_STR(conf.modules[0].name, "monitor");
    CHECK_STR(conf.modules[0].path, "build/m");
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
    CHECK_STR(conf.modules[0].path, "b");
}

TEST(empty_text_is_an_empty_config)
{
    const char *why;
    CHECK_EQ(bootconf_parse("", 0, &conf, &why), 0);
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

TEST(overlong_name_and_path_are_refused)
{
    char text[512];
    const char *why;
    memset(text, 0, sizeof text);
    strcpy(text, "module ");
    memset(text + 7, 'n', BOOTCONF_NAME_MAX);
    strcat(text, " p\n");
    CHECK_EQ(parse(text, &why), 1);
    CHECK_STR(why, "module name too long");
    memset(text, 0, sizeof text);
    strcpy(text, "module n ");
    memset(text + 9, 'p', BOOTCONF_PATH_MAX);
    CHECK_EQ(parse(text, &why), 1);
    CHECK_STR(why, "module path too long");
}

TEST(too_many_modules_is_refused)
{
    char text[4096] = "";
    const char *why;
    for (int i = 0; i <= BOOTCONF_MAX_MODULES; i++) {
        char line[32];
        snprintf(line, sizeof line, "module m%d p\n", i);
        strcat(text, line);
    }
    CHECK_EQ(parse(text, &why), BOOTCONF_MAX_MODULES + 1);
    CHECK_STR(why, "too many modules");
}

TEST(nul_byte_is_refused_not_read_past)
{
    const char text[] = "module a b\nmod\0ule c d\n";
    const char *why;
    CHECK_EQ(bootconf_parse(text, sizeof text - 1, &conf, &why), 2);
    CHECK_STR(why, "NUL byte in text");
}
