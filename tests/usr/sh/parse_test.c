/* parse_test.c — the shell's command language (usr/sh/parse.c, match.c,
 * glob.c): what each form of line becomes, and the clear refusal of each
 * malformed one. Under ASan, so a word or stage written past its array fails. */
#include "../../../usr/sh/cmd.h"
#include "test.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static struct pipeline pl;
static const struct parse_env env = {.status = 7, .last_bg = 42};

/* Parses cmd into pl (freed first); NULL, or why it was refused. */
static const char *parse_env(const char *cmd, const struct parse_env *e)
{
    pipeline_free(&pl);
    const char *why = parse_pipeline(cmd, e, &pl);
    return why;
}

static const char *parse(const char *cmd) { return parse_env(cmd, &env); }

/* Why cmd is refused, or "(accepted)". */
static const char *refusal(const char *cmd)
{
    const char *why = parse(cmd);
    return why != NULL ? why : "(accepted)";
}

/* Stage s's words joined by '|', as "echo|a b|c". */
static const char *args(int s)
{
    static char out[4096];
    out[0] = '\0';
    const struct words *w = &pl.stages[s].argv;
    for (int i = 0; i < w->n; i++)
        snprintf(out + strlen(out), sizeof out - strlen(out), "%s%s", i ? "|" : "", w->v[i]);
    return out;
}

static bool redir_is(int s, int i, int fd, enum redir_op op, const char *path)
{
    const struct stage *st = &pl.stages[s];
    if (i >= st->nredir)
        return false;
    const struct redir *r = &st->redirs[i];
    return r->fd == fd && r->op == op && strcmp(r->path, path) == 0;
}

TEST(words_split_on_blanks_and_quotes_keep_them)
{
    CHECK(parse("  echo 'a b'\t\"c  d\" e'f'g  ") == NULL);
    CHECK_EQ(pl.count, 1);
    CHECK_STR(args(0), "echo|a b|c  d|efg");
    CHECK(pl.stages[0].argv.v[4] == NULL);
    CHECK_EQ(pl.stages[0].core, CMD_CORE_ANY);
    CHECK(!pl.background);
}

TEST(empty_quotes_are_an_empty_word)
{
    CHECK(parse("echo '' x \"\"") == NULL);
    CHECK_EQ(pl.stages[0].argv.n, 4);
    CHECK_STR(pl.stages[0].argv.v[1], "");
    CHECK_STR(pl.stages[0].argv.v[3], "");
}

TEST(blank_line_is_no_command)
{
    CHECK(parse("   \t ") == NULL);
    CHECK_EQ(pl.count, 0);
}

TEST(status_and_last_background_pid_expand_outside_single_quotes)
{
    CHECK(parse("echo $? '$?' \"$!\" x$?y") == NULL);
    CHECK_STR(args(0), "echo|7|$?|42|x7y");
}

TEST(at_core_picks_the_core_of_its_stage)
{
    CHECK(parse("@3 sleep 1") == NULL);
    CHECK_EQ(pl.stages[0].core, 3);
    CHECK_STR(args(0), "sleep|1");
    CHECK(parse("'@3' x") == NULL);
    CHECK_STR(args(0), "@3|x");
    CHECK_STR(refusal("@x sleep"), "@ takes a core number");
    CHECK_STR(refusal("@2"), "no command");
    CHECK_STR(refusal("&"), "no command");
}

TEST(background_ends_the_command_only)
{
    CHECK(parse("sleep 1 &") == NULL);
    CHECK(pl.background);
    CHECK(parse("sleep 1&") == NULL);
    CHECK(pl.background);
    CHECK_STR(refusal("sleep 1 & echo"), "& must end the command");
    CHECK(parse("echo '&'") == NULL);
    CHECK(!pl.background);
    CHECK_STR(args(0), "echo|&");
}

TEST(input_redirection)
{
    CHECK(parse("cat < in.txt") == NULL);
    CHECK_STR(args(0), "cat");
    CHECK_EQ(pl.stages[0].nredir, 1);
    CHECK(redir_is(0, 0, 0, REDIR_IN, "in.txt"));
    CHECK(parse("<in cat -n") == NULL);
    CHECK_STR(args(0), "cat|-n");
    CHECK(redir_is(0, 0, 0, REDIR_IN, "in"));
}

TEST(output_redirection_truncates)
{
    CHECK(parse("echo hi > out") == NULL);
    CHECK_STR(args(0), "echo|hi");
    CHECK(redir_is(0, 0, 1, REDIR_OUT, "out"));
    CHECK(parse("echo hi>out") == NULL);
    CHECK_STR(args(0), "echo|hi");
    CHECK(redir_is(0, 0, 1, REDIR_OUT, "out"));
}

TEST(append_redirection)
{
    CHECK(parse("echo a >> log b") == NULL);
    CHECK_STR(args(0), "echo|a|b");
    CHECK(redir_is(0, 0, 1, REDIR_APPEND, "log"));
    CHECK(parse("x 2>>errs") == NULL);
    CHECK(redir_is(0, 0, 2, REDIR_APPEND, "errs"));
}

TEST(error_redirection)
{
    CHECK(parse("prog 2> err arg") == NULL);
    CHECK_STR(args(0), "prog|arg");
    CHECK(redir_is(0, 0, 2, REDIR_OUT, "err"));
    CHECK(parse("prog 1> out") == NULL);
    CHECK(redir_is(0, 0, 1, REDIR_OUT, "out"));
    /* A digit inside a word is part of it, not a descriptor. */
    CHECK(parse("echo a2>f") == NULL);
    CHECK_STR(args(0), "echo|a2");
    CHECK(redir_is(0, 0, 1, REDIR_OUT, "f"));
}

TEST(errors_to_output_keeps_the_order_written)
{
    CHECK(parse("prog > f 2>&1") == NULL);
    CHECK_EQ(pl.stages[0].nredir, 2);
    CHECK(redir_is(0, 0, 1, REDIR_OUT, "f"));
    const struct redir *r = &pl.stages[0].redirs[1];
    CHECK(r->fd == 2 && r->op == REDIR_DUP && r->from == 1 && r->path == NULL);
    CHECK(parse("prog 2>&1 >f") == NULL);
    CHECK_EQ(pl.stages[0].redirs[0].op, REDIR_DUP);
    CHECK(redir_is(0, 1, 1, REDIR_OUT, "f"));
    CHECK(parse("prog >&2") == NULL);
    r = &pl.stages[0].redirs[0];
    CHECK(r->fd == 1 && r->op == REDIR_DUP && r->from == 2);
}

TEST(quoted_operators_are_words_and_file_names_take_quotes)
{
    CHECK(parse("echo '>' \"<\" '2>&1' > 'my file'") == NULL);
    CHECK_STR(args(0), "echo|>|<|2>&1");
    CHECK(redir_is(0, 0, 1, REDIR_OUT, "my file"));
    CHECK(parse("echo x > out$?") == NULL);
    CHECK(redir_is(0, 0, 1, REDIR_OUT, "out7"));
}

TEST(many_redirections_all_kept)
{
    char cmd[4000] = "echo";
    for (int i = 0; i < 100; i++)
        snprintf(cmd + strlen(cmd), sizeof cmd - strlen(cmd), " > f%d", i);
    CHECK(parse(cmd) == NULL);
    CHECK_EQ(pl.stages[0].nredir, 100);
    CHECK(redir_is(0, 99, 1, REDIR_OUT, "f99"));
}

TEST(redirection_without_a_file_is_refused)
{
    CHECK_STR(refusal("echo >"), "> needs a file name");
    CHECK_STR(refusal("echo > "), "> needs a file name");
    CHECK_STR(refusal("echo >>"), ">> needs a file name");
    CHECK_STR(refusal("cat <"), "< needs a file name");
    CHECK_STR(refusal("echo 2>"), "> needs a file name");
    CHECK_STR(refusal("echo > | cat"), "> needs a file name");
    CHECK_STR(refusal("echo > > f"), "> needs a file name");
    CHECK_STR(refusal("echo 2>&x"), ">& needs a descriptor (as in 2>&1)");
    CHECK_STR(refusal("echo 2>&"), ">& needs a descriptor (as in 2>&1)");
    CHECK_STR(refusal("echo 3> f"), "only descriptors 0, 1 and 2 can be redirected");
    CHECK_STR(refusal("echo 2>&5"), "only descriptors 0, 1 and 2 can be redirected");
}

TEST(redirection_alone_is_a_command_but_not_in_the_background)
{
    CHECK(parse("> f") == NULL);
    CHECK_EQ(pl.count, 1);
    CHECK_EQ(pl.stages[0].argv.n, 0);
    CHECK(redir_is(0, 0, 1, REDIR_OUT, "f"));
    CHECK_STR(refusal("> f &"), "no command");
}

TEST(pipeline_splits_into_stages)
{
    CHECK(parse("a 1 | b 2|c") == NULL);
    CHECK_EQ(pl.count, 3);
    CHECK_STR(args(0), "a|1");
    CHECK_STR(args(1), "b|2");
    CHECK_STR(args(2), "c");
}

TEST(pipe_inside_quotes_does_not_split)
{
    CHECK(parse("echo 'x|y' \"a | b\" | tr '|' -") == NULL);
    CHECK_EQ(pl.count, 2);
    CHECK_STR(args(0), "echo|x|y|a | b");
    CHECK_STR(args(1), "tr|||-");
}

TEST(pipeline_stages_have_their_cores_and_redirections)
{
    CHECK(parse("@1 a < in | @2 b 2>&1 | c >> out &") == NULL);
    CHECK_EQ(pl.count, 3);
    CHECK_EQ(pl.stages[0].core, 1);
    CHECK_EQ(pl.stages[1].core, 2);
    CHECK_EQ(pl.stages[2].core, CMD_CORE_ANY);
    CHECK(redir_is(0, 0, 0, REDIR_IN, "in"));
    CHECK_EQ(pl.stages[1].redirs[0].op, REDIR_DUP);
    CHECK(redir_is(2, 0, 1, REDIR_APPEND, "out"));
    CHECK(pl.background);
}

TEST(long_pipeline_and_many_words_have_no_limit)
{
    static char cmd[20000];
    cmd[0] = '\0';
    for (int i = 0; i < 500; i++)
        snprintf(cmd + strlen(cmd), sizeof cmd - strlen(cmd), "%sp%d", i ? " | " : "", i);
    CHECK(parse(cmd) == NULL);
    CHECK_EQ(pl.count, 500);
    CHECK_STR(args(499), "p499");
    strcpy(cmd, "echo");
    for (int i = 0; i < 2000; i++)
        snprintf(cmd + strlen(cmd), sizeof cmd - strlen(cmd), " w%d", i);
    CHECK(parse(cmd) == NULL);
    CHECK_EQ(pl.stages[0].argv.n, 2001);
    CHECK_STR(pl.stages[0].argv.v[2000], "w1999");
    CHECK(pl.stages[0].argv.v[2001] == NULL);
}

TEST(long_word_has_no_limit)
{
    static char cmd[10000];
    memset(cmd, 'x', sizeof cmd - 1);
    memcpy(cmd, "echo ", 5);
    CHECK(parse(cmd) == NULL);
    CHECK_EQ(strlen(pl.stages[0].argv.v[1]), sizeof cmd - 6);
}

TEST(malformed_pipelines_are_refused)
{
    CHECK_STR(refusal("a |"), "missing command after |");
    CHECK_STR(refusal("a | "), "missing command after |");
    CHECK_STR(refusal("| b"), "missing command before |");
    CHECK_STR(refusal("a | | b"), "missing command before |");
    CHECK_STR(refusal("a | @2"), "missing command after |");
    CHECK_STR(refusal("a | > f"), "missing command after |");
    CHECK_STR(refusal("a | &"), "missing command after |");
}

TEST(or_and_and_lists_are_refused_clearly)
{
    CHECK_STR(refusal("a || b"), "|| is not supported (separate commands with ';')");
    CHECK_STR(refusal("a && b"), "&& is not supported (separate commands with ';')");
    CHECK(parse("echo 'a || b'") == NULL);
    CHECK_STR(args(0), "echo|a || b");
}

TEST(unterminated_quote_is_refused)
{
    CHECK_STR(refusal("echo 'abc"), "unterminated quote");
    CHECK_STR(refusal("echo > \"f"), "unterminated quote");
}

TEST(next_command_splits_on_semicolons_outside_quotes)
{
    char line[] = "echo 'a;b' ; sh -c \"x; y\";z";
    char *rest = line, *cmd;
    CHECK((cmd = next_command(&rest)) != NULL);
    CHECK_STR(cmd, "echo 'a;b' ");
    CHECK((cmd = next_command(&rest)) != NULL);
    CHECK_STR(cmd, " sh -c \"x; y\"");
    CHECK((cmd = next_command(&rest)) != NULL);
    CHECK_STR(cmd, "z");
    CHECK(next_command(&rest) == NULL);
}

TEST(glob_matcher_star_and_question)
{
    CHECK(glob_match("*", ""));
    CHECK(glob_match("*", "abc"));
    CHECK(glob_match("*.txt", "a.txt"));
    CHECK(glob_match("*.txt", ".txt"));
    CHECK(!glob_match("*.txt", "a.txt.bak"));
    CHECK(!glob_match("*.txt", "a.tx"));
    CHECK(glob_match("a?c", "abc"));
    CHECK(!glob_match("a?c", "ac"));
    CHECK(!glob_match("?", ""));
    CHECK(glob_match("??", "ab"));
    CHECK(!glob_match("a*", "ba"));
    CHECK(glob_match("a*b*c", "axxbyybzc"));
    CHECK(glob_match("*a*b", "xaxab"));
    CHECK(!glob_match("*a*b", "xaxa"));
    CHECK(glob_match("**", "x"));
    CHECK(glob_match("*?", "x"));
    CHECK(!glob_match("*?", ""));
    CHECK(glob_match("abc", "abc"));
    CHECK(!glob_match("abc", "abcd"));
}

TEST(glob_matcher_escapes_are_literal)
{
    CHECK(glob_match("a\\*", "a*"));
    CHECK(!glob_match("a\\*", "ab"));
    CHECK(glob_match("\\?", "?"));
    CHECK(!glob_match("\\?", "x"));
    CHECK(glob_match("\\\\*", "\\abc"));
    CHECK(glob_match("a\\", "a\\")); /* a lone escape at the end is itself */
    CHECK(glob_has_magic("a*"));
    CHECK(!glob_has_magic("a\\*\\?"));
    char out[16];
    glob_unescape("a\\*b\\\\c", out);
    CHECK_STR(out, "a*b\\c");
}

TEST(glob_matcher_worst_case_stays_fast)
{
    /* a*a*a*...b against aaaa...: exponential for a naive recursive matcher. */
    char pat[64] = "", name[4096];
    for (int i = 0; i < 20; i++)
        strcat(pat, "a*");
    strcat(pat, "b");
    memset(name, 'a', sizeof name - 1);
    name[sizeof name - 1] = '\0';
    CHECK(!glob_match(pat, name));
}

/* A glob callback with fixed answers, that records what it was asked. */
static char asked[8][64];
static int nasked;

static int fake_glob(const char *pattern, struct words *out)
{
    snprintf(asked[nasked++ % 8], sizeof asked[0], "%s", pattern);
    if (strcmp(pattern, "*.c") == 0)
        return words_add_copy(out, "a.c", 3) | words_add_copy(out, "b.c", 3) ? -1 : 2;
    return 0;
}

TEST(only_unquoted_stars_glob_and_quoted_ones_are_escaped)
{
    struct parse_env e = env;
    e.glob = fake_glob;
    nasked = 0;
    CHECK(parse_env("ls *.c 'x*' \"?\" plain x'*'? > *.out", &e) == NULL);
    CHECK_STR(args(0), "ls|a.c|b.c|x*|?|plain|x*?");
    CHECK_EQ(nasked, 2);
    CHECK_STR(asked[0], "*.c");
    CHECK_STR(asked[1], "x\\*?");
    /* No globbing of file names: the file is called *.out. */
    CHECK(redir_is(0, 0, 1, REDIR_OUT, "*.out"));
}

/* A scratch directory with a few files, for glob_expand. */
static char dir[64];

static void touch(const char *name)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (f != NULL)
        fclose(f);
}

static void scratch(void)
{
    strcpy(dir, "/tmp/sh_glob_XXXXXX");
    if (mkdtemp(dir) == NULL)
        abort();
    touch("b.txt");
    touch("a.txt");
    touch("c.log");
    touch(".hidden.txt");
    touch("star*.txt");
}

static void scratch_remove(void)
{
    const char *names[] = {"b.txt", "a.txt", "c.log", ".hidden.txt", "star*.txt"};
    char path[128];
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        unlink(path);
    }
    rmdir(dir);
}

/* The words glob_expand gives for dir + "/" + pattern, joined by '|', and how many. */
static int expand(const char *pattern, char *joined, size_t cap)
{
    char pat[128];
    snprintf(pat, sizeof pat, "%s/%s", dir, pattern);
    struct words w = {0};
    int n = glob_expand(pat, &w);
    joined[0] = '\0';
    size_t skip = strlen(dir) + 1;
    for (int i = 0; i < w.n; i++)
        snprintf(joined + strlen(joined), cap - strlen(joined), "%s%s", i ? "|" : "",
                 strncmp(w.v[i], dir, skip - 1) == 0 ? w.v[i] + skip : "(no dir)");
    words_free(&w);
    return n;
}

TEST(glob_expands_in_a_directory_sorted_without_hidden_files)
{
    scratch();
    char got[512];
    int n = expand("*.txt", got, sizeof got);
    int n_all = 0, n_hidden = 0, n_none = 0, n_q = 0, n_lit = 0;
    char all[512], hidden[512], q[512], lit[512];
    n_all = expand("*", all, sizeof all);
    n_hidden = expand(".*", hidden, sizeof hidden);
    n_none = expand("*.none", q, sizeof q);
    n_q = expand("?.???", q, sizeof q);
    n_lit = expand("star\\*.*", lit, sizeof lit);
    scratch_remove();
    CHECK_EQ(n, 3);
    CHECK_STR(got, "a.txt|b.txt|star*.txt");
    CHECK_EQ(n_all, 4);
    CHECK_STR(all, "a.txt|b.txt|c.log|star*.txt");
    CHECK_EQ(n_hidden, 1); /* never . or .. */
    CHECK_STR(hidden, ".hidden.txt");
    CHECK_EQ(n_none, 0);
    CHECK_EQ(n_q, 3);
    CHECK_STR(q, "a.txt|b.txt|c.log");
    CHECK_EQ(n_lit, 1);
    CHECK_STR(lit, "star*.txt");
}

TEST(glob_through_the_parser_keeps_a_word_that_matches_nothing)
{
    scratch();
    char cmd[256];
    snprintf(cmd, sizeof cmd, "ls %s/*.log %s/*.none '%s/*.txt'", dir, dir, dir);
    struct parse_env e = env;
    e.glob = glob_expand;
    const char *why = parse_env(cmd, &e);
    scratch_remove();
    CHECK(why == NULL);
    CHECK_EQ(pl.stages[0].argv.n, 4);
    char want[128];
    snprintf(want, sizeof want, "%s/c.log", dir);
    CHECK_STR(pl.stages[0].argv.v[1], want);
    snprintf(want, sizeof want, "%s/*.none", dir);
    CHECK_STR(pl.stages[0].argv.v[2], want);
    snprintf(want, sizeof want, "%s/*.txt", dir);
    CHECK_STR(pl.stages[0].argv.v[3], want);
}

TEST(glob_in_a_missing_directory_matches_nothing)
{
    struct words w = {0};
    CHECK_EQ(glob_expand("/nonexistent-sh-test-dir/*", &w), 0);
    CHECK_EQ(w.n, 0);
}
