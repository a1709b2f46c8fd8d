/* pm_probe — bad requests to PM, through the POSIX calls (each must get its
 * errno) and as raw messages on a channel of its own (each must get its
 * err_t); PM must still answer afterwards. And a wait says how a child ended:
 * the cause and the address of a fault, an exit, a kill. */
#include <chan.h>
#include <errno.h>
#include <grant.h>
#include <proc_abi.h>
#include <procs.h>
#include <proto/srv.h>
#include <proto_chan.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/arch.h>
#include <sys/wait.h>
#include <unistd.h>

PROTO_CHAN_CALLS(PM_MESSAGES)

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

/* Sends a raw message to PM, len bytes of payload; the err_t it answers. */
static int raw_call(uint16_t type, const void *payload, size_t len)
{
    msg_t m = {.type = type, .len = (uint8_t)len}, r;
    if (len > 0)
        memcpy(m.payload, payload, len);
    return chan_call(&raw, &m, &r) == OK ? r.type : -1;
}

static const struct proto_rule rules[] = {PM_MESSAGES(PROTO_RULE_ROW)};

/* Program images that are none, or not all there: each refused, none run.
 * g is the raw channel's grant, taken back and granted larger here. */
static void bad_images(struct grant *g)
{
    struct pm_spawn s = {.core = PM_CORE_ANY, .image = 1u << 20};
    strcpy(s.module, "junk");
    PROBE(raw_call(PM_SPAWN, &s, sizeof s) == ERR_FAULT,
          "an image past the end of the grant: ERR_FAULT");
    s.image = PM_IMAGE_MAX + 1;
    PROBE(raw_call(PM_SPAWN, &s, sizeof s) == ERR_INVAL, "an image past the largest: ERR_INVAL");
    grant_drop(g);
    PROBE(grant_offer(&raw, PM_BLOB_MAX + 8192, g) == OK, "a larger frame granted to PM");
    uint8_t *image = (uint8_t *)g->va + PM_BLOB_MAX;
    memcpy(image, "\177ELF", 4); /* a magic number and nothing that follows it */
    s.image = 8192;
    PROBE(raw_call(PM_SPAWN, &s, sizeof s) == ERR_NOEXEC, "an image that is no ELF: ERR_NOEXEC");
    memset(image, 0xff, 8192);
    s.image = 1;
    PROBE(raw_call(PM_SPAWN, &s, sizeof s) == ERR_NOEXEC, "an image of one byte: ERR_NOEXEC");
}

/* Every type PM does not handle, and every request it does one byte short:
 * each gets its error, and not a crash or silence. */
static void malformed(void)
{
    int unknown = 0, unknown_ok = 0, short_ok = 0, shorts = 0;
    for (unsigned type = 0x1f0; type < 0x220; type++) {
        bool known = false;
        for (unsigned i = 0; i < sizeof rules / sizeof rules[0]; i++)
            known |= rules[i].type == type;
        if (!known) {
            unknown++;
            unknown_ok += raw_call((uint16_t)type, NULL, 0) == ERR_NOSYS;
        }
    }
    PROBE(unknown_ok == unknown, "every type PM does not handle: ERR_NOSYS");
    for (unsigned i = 0; i < sizeof rules / sizeof rules[0]; i++) {
        if (rules[i].req_bytes == 0)
            continue;
        static uint8_t zeros[MSG_PAYLOAD_SIZE];
        shorts++;
        short_ok += raw_call(rules[i].type, zeros, rules[i].req_bytes - 1u) == ERR_TRUNCATED;
    }
    PROBE(shorts > 0 && short_ok == shorts, "every request one byte short: ERR_TRUNCATED");
    PROBE(raw_call(0xffff, NULL, 0) == ERR_NOSYS, "type 0xffff: ERR_NOSYS");
}

/* A client that sends and never reads its answers is cut off once its
 * ring of answers is full: the answers sent stay readable, then ERR_DEAD. */
static void deaf_client(void)
{
    struct chan deaf;
    PROBE(chan_connect(PM_NAME, &deaf, 1000000000ull) == OK, "a third channel to PM");
    err_t sent = OK;
    for (int i = 0; i < 4 * NS_CHAN_SLOTS && sent == OK; i++) {
        msg_t m = MSG(PM_GETPID);
        sent = chan_send(&deaf, &m);
    }
    int answers = 0;
    msg_t r;
    err_t got;
    while ((got = chan_recv(&deaf, &r)) == OK)
        answers++;
    PROBE(sent == ERR_DEAD && got == ERR_DEAD && answers == NS_CHAN_SLOTS,
          "a client that does not read its answers: cut off, ERR_DEAD");
    chan_drop(&deaf);
}

/* Who may signal whom: itself and its descendants, nobody else's; and the
 * console's foreground the same way. */
static void authority(void)
{
    PROBE(kill(3, SIGTERM) == -1 && errno == EPERM, "kill of the console driver: EPERM");
    PROBE(kill(2, 0) == -1 && errno == EPERM, "kill of PM: EPERM");
    PROBE(kill(getpid(), 0) == 0, "a process may signal itself");
    PROBE(console_set_foreground(3) == -1 && errno == EPERM,
          "the console driver as this one's foreground: EPERM");
    pid_t child = spawn_on(CORE_ANY, "sleep", (char *[]){"sleep", "30", NULL}, NULL);
    PROBE(child > 0 && console_set_foreground(child) == 0, "its own child as the foreground");
    struct chan c;
    int status = -1;
    PROBE(chan_connect(PM_NAME, &c, 1000000000ull) == OK && pm_interrupt(&c, NULL, NULL) == OK &&
              waitpid(child, &status, 0) == child && WIFSIGNALED(status) &&
              WTERMSIG(status) == SIGINT,
          "PM interrupts the foreground for Ctrl-C: SIGINT");
    PROBE(pm_interrupt(&c, NULL, NULL) == ERR_NOPROC, "no foreground left: ERR_NOPROC");
}

/* Waits for child on the raw channel, which shows what POSIX's wait cannot. */
static bool raw_wait(pid_t child, struct pm_waited *got)
{
    memset(got, 0xff, sizeof *got);
    return child > 0 && pm_wait(&raw, &(struct pm_wait){.pid = child}, got) == OK &&
           got->pid == child;
}

/* A fault, an exit and a kill each reach the parent's wait with their cause. */
static void causes(void)
{
    struct pm_waited got;
    pid_t child = spawn_on(CORE_ANY, "fault_kaddr", NULL, NULL);
    PROBE(raw_wait(child, &got) && got.cause == DEATH_PAGE_FAULT &&
              got.addr == SYS_KERNEL_ADDRESS && got.signal == SIGSEGV,
          "a child that reads the kernel: DEATH_PAGE_FAULT at that address");
    printf("pm_probe: fault_kaddr ended by %s at 0x%lx, signal %u\n", death_cause_str(got.cause),
           (unsigned long)got.addr, got.signal);
    child = spawn_on(CORE_ANY, "false", NULL, NULL);
    PROBE(raw_wait(child, &got) && got.cause == DEATH_EXIT && got.status == 1 && got.signal == 0 &&
              got.addr == 0,
          "a child that exits: DEATH_EXIT with its status");
    child = spawn_on(CORE_ANY, "sleep", (char *[]){"sleep", "30", NULL}, NULL);
    PROBE(child > 0 && kill(child, SIGTERM) == 0 && raw_wait(child, &got) &&
              got.cause == DEATH_KILLED && got.signal == SIGTERM && got.addr == 0,
          "a child killed: DEATH_KILLED with the signal");
    child = spawn_on(CORE_ANY, "true", NULL, NULL);
    int status = -1;
    PROBE(child > 0 && waitpid(child, &status, 0) == child && WIFEXITED(status) &&
              WEXITSTATUS(status) == 0,
          "POSIX waitpid still sees a plain exit");
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
    static char big[5000];
    memset(big, 'y', sizeof big - 1);
    char *long_args[] = {"true", big, NULL};
    PROBE(spawn_on(CORE_ANY, "true", long_args, NULL) == -1 && errno == E2BIG,
          "5000 bytes of arguments: E2BIG");

    PROBE(chan_connect(PM_NAME, &raw, 1000000000ull) == OK, "a second channel to PM");
    malformed();
    struct pm_spawn s = {.core = PM_CORE_ANY, .bytes = 1000};
    strcpy(s.module, "true");
    PROBE(raw_call(PM_SPAWN, &s, sizeof s) == ERR_FAULT,
          "a spawn naming bytes never granted: ERR_FAULT");
    memset(s.module, 'z', sizeof s.module);
    s.bytes = 0;
    PROBE(raw_call(PM_SPAWN, &s, sizeof s) == ERR_INVAL,
          "a module name without its end: ERR_INVAL");
    strcpy(s.module, "true");
    s.bytes = PM_BLOB_MAX + 1;
    PROBE(raw_call(PM_SPAWN, &s, sizeof s) == ERR_INVAL, "a blob past the largest: ERR_INVAL");
    struct grant g;
    PROBE(grant_offer(&raw, PM_BLOB_MAX, &g) == OK, "a frame granted to PM");
    ((uint8_t *)g.va)[0] = 9; /* a header that says 9 strings follow, and none do */
    s.bytes = 8;
    PROBE(raw_call(PM_SPAWN, &s, sizeof s) == ERR_INVAL, "a malformed argument blob: ERR_INVAL");
    s.core = -2;
    PROBE(raw_call(PM_SPAWN, &s, sizeof s) == ERR_INVAL, "core -2: ERR_INVAL");
    bad_images(&g);
    struct pm_wait w = {.pid = -7};
    PROBE(raw_call(PM_WAIT, &w, sizeof w) == ERR_INVAL, "wait for pid -7: ERR_INVAL");
    w = (struct pm_wait){.pid = -1, .flags = 0x80};
    PROBE(raw_call(PM_WAIT, &w, sizeof w) == ERR_INVAL, "unknown wait flags: ERR_INVAL");
    struct pm_kill k = {.pid = 0, .signal = 1};
    PROBE(raw_call(PM_KILL, &k, sizeof k) == ERR_INVAL, "kill of pid 0: ERR_INVAL");
    struct pm_who who = {.core = 999, .domain = 1};
    PROBE(raw_call(PM_WHO, &who, sizeof who) == ERR_NOPROC, "who is a domain of no process");
    struct srv_grant_req gr = {.frame = {.core = 999, .id = 1}};
    PROBE(raw_call(SRV_GRANT, &gr, sizeof gr) == ERR_PERM, "a grant of another core's frame");

    deaf_client();
    authority();
    causes();
    PROBE(getpid() > 2, "PM still answers the first channel");

    pid_t child = spawn_on(CORE_ANY, "true", NULL, NULL);
    int status = -1;
    PROBE(child > 0 && waitpid(child, &status, 0) == child && WIFEXITED(status) &&
              WEXITSTATUS(status) == 0,
          "PM still starts and reaps a process afterwards");
    printf("pm_probe: %d/%d checks passed\n", checks - failures, checks);
    return failures;
}
