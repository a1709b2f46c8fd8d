/* test_main.c — runs the cases a test binary registered.
 *   BIN --list   prints one case name per line
 *   BIN NAME     runs one case; exit status 0 means it passed
 *   BIN          runs every case in this process and prints a summary */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"

#define MAX_CASES 512

static struct {
    const char *name;
    test_fn fn;
} cases[MAX_CASES];
static int case_count;
static int failed;

void test_register(const char *name, test_fn fn)
{
    if (case_count == MAX_CASES) {
        fprintf(stderr, "test harness: more than %d cases in one binary\n", MAX_CASES);
        exit(2);
    }
    cases[case_count].name = name;
    cases[case_count].fn = fn;
    case_count++;
}

void test_fail(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    failed = 1;
    fprintf(stderr, "%s:%d: ", file, line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

int test_failed(void) { return failed; }

static int run_case(int i)
{
    failed = 0;
    cases[i].fn();
    printf("%s %s\n", failed ? "FAIL" : "PASS", cases[i].name);
    fflush(stdout);
    return failed;
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--list") == 0) {
        for (int i = 0; i < case_count; i++)
            printf("%s\n", cases[i].name);
        return 0;
    }
    if (argc == 2) {
        for (int i = 0; i < case_count; i++) {
            if (strcmp(cases[i].name, argv[1]) == 0)
                return run_case(i);
        }
        fprintf(stderr, "no test case named %s\n", argv[1]);
        return 2;
    }
    int bad = 0;
    for (int i = 0; i < case_count; i++)
        bad += run_case(i);
    printf("%d passed, %d failed\n", case_count - bad, bad);
    return bad != 0;
}
