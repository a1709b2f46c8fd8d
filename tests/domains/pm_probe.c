/* pm_probe — bad requests to PM, through the POSIX calls and as raw messages
 * on a channel of its own; each must get its errno, and PM must still answer
 * afterwards. */
#include <chan.h>
#include <errno.h>
#include <procs.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static struct chan raw;
static int checks, failures;

/* One line per check, as probe.h's domains print them. */
#define PROBE(cond, what)                                                                          \
    do {                                                                                           \
        bool ok_ = (cond);                                                                         \
        int e_ = errno;                                                                            \
        checks++;                                                                                  \
        failures += !ok_;                                                                          \
        printf("pm_probe: %s %s (errno %d)\n", ok_ ? "ok" : "FAIL", what, e_);                     \
    } while (0)

/* Sends a raw message to PM; the errno it answers with. */
static int raw_call(uint16_t type, const void *payload, size_t len)
{
    msg_t m = {.type = type}, r;
    memcpy(m.payload, payload, len);
    return chan_call(&raw, &m, &r) == OK ? r.type : -1;
}

int main(void)
{
    PROBE(getpid() > 2, "getpid answers a real pid");
    PROBE(getppid() >= 1, "getppid answers");
    PROBE(kill(99999, SIGTERM) == -1 && errno == ESRCH, "kill of an unknown pid: ESRCH");
    PROBE(kill(1, SIGKILL) == -1 && errno == EPERM, "kill of init: EPERM");
    PROBE(kill(getpid(), 99) == -1 && errno == EINVAL, "a bad signal: EINVAL");
    PROBE(waitpid(-1, NULL, 0) == -1 && errno == ECHILD, "wait without children: ECHILD");
    PROBE(waitpid(1, NULL, 0) == -1 && errno == ECHILD, "wait for a non-child: ECHILD");
    PROBE(spawn_on(CORE_ANY, "nosuch", NULL, NULL) == -1 && errno == ENOENT,
          "a missing program: ENOENT");
    PROBE(spawn_on(200, "true", NULL, NULL) == -1 && errno == EINVAL, "a core not online: EINVAL");
    static char *many[40];
    for (int i = 0; i < 39; i++)
        many[i] = "x";
    PROBE(spawn_on(CORE_ANY, "true", many, NULL) == -1 && errno == E2BIG, "39 arguments: E2BIG");
    static char big[3000];
    memset(big, 'y', sizeof big - 1);
    char *long_args[] = {"true", big, NULL};
    PROBE(spawn_on(CORE_ANY, "true", long_args, NULL) == -1 && errno == E2BIG,
          "3000 bytes of arguments: E2BIG");

    PROBE(chan_connect(PM_NAME, &raw, 1000000000ull) == OK, "a second channel to PM");
    struct pm_args a = {.offset = 4000, .len = 8};
    PROBE(raw_call(PM_ARGS, &a, sizeof a) == EINVAL, "arguments out of order: EINVAL");
    a = (struct pm_args){.offset = 0, .len = 200};
    PROBE(raw_call(PM_ARGS, &a, sizeof a) == EINVAL, "an argument piece too long: EINVAL");
    struct pm_spawn s = {.core = PM_CORE_ANY, .bytes = 1000};
    strcpy(s.module, "true");
    PROBE(raw_call(PM_SPAWN, &s, sizeof s) == EFAULT, "a spawn naming bytes never sent: EFAULT");
    memset(s.module, 'z', sizeof s.module);
    s.bytes = 0;
    PROBE(raw_call(PM_SPAWN, &s, sizeof s) == EINVAL, "a module name without its end: EINVAL");
    a = (struct pm_args){.offset = 0, .len = 8}; /* a header that says 9 strings follow */
    a.data[0] = 9;
    PROBE(raw_call(PM_ARGS, &a, sizeof a) == 0, "a piece of a malformed blob is taken");
    strcpy(s.module, "true");
    s.bytes = 8;
    PROBE(raw_call(PM_SPAWN, &s, sizeof s) == EINVAL, "a malformed argument blob: EINVAL");
    struct pm_wait w = {.pid = -7};
    PROBE(raw_call(PM_WAIT, &w, sizeof w) == EINVAL, "wait for pid -7: EINVAL");
    w = (struct pm_wait){.pid = -1, .flags = 0x80};
    PROBE(raw_call(PM_WAIT, &w, sizeof w) == EINVAL, "unknown wait flags: EINVAL");
    PROBE(raw_call(0x2ff, NULL, 0) == ENOSYS, "an unknown request: ENOSYS");
    struct pm_who who = {.core = 999, .domain = 1};
    PROBE(raw_call(PM_WHO, &who, sizeof who) == ESRCH, "who is a domain of no process: ESRCH");

    pid_t child = spawn_on(CORE_ANY, "true", NULL, NULL);
    int status = -1;
    PROBE(child > 0 && waitpid(child, &status, 0) == child && WIFEXITED(status) &&
              WEXITSTATUS(status) == 0,
          "PM still starts and reaps a process afterwards");
    printf("pm_probe: %d/%d checks passed\n", checks - failures, checks);
    return failures;
}
