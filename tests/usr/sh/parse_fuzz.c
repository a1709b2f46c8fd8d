/* parse_fuzz.c — libFuzzer target: any line given to the shell's parser is
 * either refused with a reason or gives stages that hold together (argv ends
 * in NULL, redirections name 0 to 2 and a file), never touching memory
 * outside what it allocated; and the glob matcher ends on any pattern.
 * Run: build/host-fuzz/tests/usr/sh/sh_parse_fuzz -max_total_time=60 */
#include "../../../usr/sh/cmd.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Matches every third pattern to two names, to exercise the caller's side. */
static int fake_glob(const char *pattern, struct words *out)
{
    if (strlen(pattern) % 3 != 0)
        return 0;
    return words_add_copy(out, "m1", 2) != 0 || words_add_copy(out, pattern, strlen(pattern)) != 0
               ? -1
               : 2;
}

static void check(const struct pipeline *pl)
{
    for (int i = 0; i < pl->count; i++) {
        const struct stage *st = &pl->stages[i];
        if (st->argv.n > 0 && st->argv.v[st->argv.n] != NULL)
            abort();
        if (st->argv.n == 0 && (pl->count > 1 || st->nredir == 0 || pl->background))
            abort();
        for (int r = 0; r < st->nredir; r++) {
            const struct redir *rd = &st->redirs[r];
            if (rd->fd < 0 || rd->fd > 2 || (rd->op == REDIR_DUP) != (rd->path == NULL))
                abort();
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *line = malloc(size + 1);
    if (line == NULL)
        return 0;
    memcpy(line, data, size);
    line[size] = '\0';
    struct parse_env env = {.status = 130, .last_bg = 7, .glob = fake_glob};
    char *rest = line;
    for (char *cmd; (cmd = next_command(&rest)) != NULL;) {
        struct pipeline pl;
        if (parse_pipeline(cmd, &env, &pl) == NULL)
            check(&pl);
        pipeline_free(&pl);
    }
    /* The first half as a pattern, the rest as a name. */
    size_t half = strlen(line) / 2;
    char *name = strdup(line + half);
    line[half] = '\0';
    if (name != NULL)
        (void)glob_match(line, name);
    free(name);
    free(line);
    return 0;
}
