/* crash_probe — the skeleton's SRV_PING and SRV_FAULT (proto/srv.h), and a
 * client that does not notice its server's restart (redial.h). It spawns
 * pingsrv as its own child, checks that it answers SRV_PING, that SRV_FAULT
 * from a process that is not its parent is refused (a second child tries, by
 * UMP and by LMP) and from its parent crashes it (SIGSEGV, not an exit);
 * meanwhile a third child pings through the redial library with numbered
 * pings, through the crash and the respawn, and must have every answer once.
 * "crash_probe stranger NAME" and "crash_probe redial NAME" are the children. */
#include <chan.h>
#include <errno.h>
#include <procs.h>
#include <proto/srv.h>
#include <proto_chan.h>
#include <redial.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ping_proto.h"

#define WAIT_NS        10000000000ull
#define REDIAL_PINGS   10 /* the redial client's pings after the restart, at least */
#define BEFORE_CRASH   10 /* ... and before it */
#define STRANGER_FAULT 1  /* a stranger's exit status bits: SRV_FAULT not refused */
#define STRANGER_PING  2  /* ... pingsrv did not answer afterwards */
#define STRANGER_LMP   4  /* ... SRV_FAULT over LMP not refused */

PROTO_CHAN_CALLS(SRV_MESSAGES)
PROTO_REDIAL_CALLS(PING_MESSAGES)

static int checks, failures;

static void check(bool ok, const char *what)
{
    checks++;
    failures += !ok;
    printf("crash_probe: %s %s\n", ok ? "ok" : "FAIL", what);
}

/* Not pingsrv's parent: SRV_FAULT must be refused, over a channel of its own
 * and over LMP if it runs on pingsrv's core, and pingsrv must go on. */
static int stranger(const char *name)
{
    struct chan c, local;
    int status = 0;
    if (chan_connect(name, &c, WAIT_NS) != OK)
        return STRANGER_FAULT | STRANGER_PING;
    if (srv_fault(&c, NULL, NULL) != ERR_PERM)
        status |= STRANGER_FAULT;
    if (chan_lookup(name, &local) == OK && local.kind == NS_LOCAL &&
        srv_fault(&local, NULL, NULL) != ERR_PERM)
        status |= STRANGER_LMP;
    if (srv_ping(&c, NULL, NULL) != OK)
        status |= STRANGER_PING;
    return status;
}

/* Numbered pings through the redial library until REDIAL_PINGS have been
 * answered after a restart: each must come back once, with its own number. */
static int redial_client(const char *name)
{
    struct redial r;
    if (redial_open(&r, name, WAIT_NS) != OK) {
        printf("crash_probe: redial client: cannot connect to %s\n", name);
        return 1;
    }
    uint64_t sent = 0, right = 0, after = 0;
    uint64_t deadline = sys_now_ns() + 6 * WAIT_NS;
    while ((r.redials == 0 || after < REDIAL_PINGS) && sys_now_ns() < deadline) {
        struct ping answer = {0};
        err_t err = ping(&r, &(struct ping){.seq = sent, .core = sys_core_id()}, &answer);
        right += err == OK && answer.seq == sent;
        if (err != OK)
            printf("crash_probe: redial client: ping %lu: %s\n", (unsigned long)sent, err_str(err));
        after += r.redials > 0;
        sent++;
    }
    printf("crash_probe: redial client: %lu pings, %lu answered right, %u redials\n",
           (unsigned long)sent, (unsigned long)right, r.redials);
    redial_close(&r);
    return right == sent && r.redials >= 1 && after >= REDIAL_PINGS ? 0 : 1;
}

static pid_t spawn_pingsrv(int core)
{
    return spawn_on(core, "pingsrv", (char *[]){"pingsrv", "forever", NULL}, NULL);
}

/* How many pings the server of c has answered, after one more of its own. */
static uint32_t served(struct chan *c)
{
    msg_t m = MSG(PING), r;
    return chan_call(c, &m, &r) == OK && r.type == OK ? msg_payload(&r, struct ping)->served : 0;
}

static bool ended_by(pid_t pid, int sig)
{
    int status = 0;
    return waitpid(pid, &status, 0) == pid && WIFSIGNALED(status) && WTERMSIG(status) == sig;
}

/* PM cannot ask itself who a caller's parent is: it refuses SRV_FAULT from
 * anyone (init too) and goes on; it answers SRV_PING like any server. */
static void pm_checks(void)
{
    struct chan pm;
    check(chan_connect(PM_NAME, &pm, WAIT_NS) == OK && srv_ping(&pm, NULL, NULL) == OK,
          "PM answers SRV_PING");
    check(srv_fault(&pm, NULL, NULL) == ERR_PERM && getpid() > 0,
          "PM refuses SRV_FAULT, and goes on");
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "stranger") == 0)
        return stranger(argv[2]);
    if (argc == 3 && strcmp(argv[1], "redial") == 0)
        return redial_client(argv[2]);
    int core = sys_core_count() > 1 ? 1 : 0;
    char name[NS_NAME_MAX];
    snprintf(name, sizeof name, "ping.%d", core);

    pid_t server = spawn_pingsrv(core);
    struct chan c;
    check(server > 0 && chan_connect(name, &c, WAIT_NS) == OK, "pingsrv spawned as a child");
    check(srv_ping(&c, NULL, NULL) == OK && srv_ping(&c, NULL, NULL) == OK,
          "SRV_PING answered, and again");

    int status = -1;
    pid_t other =
        spawn_on(core, "crash_probe", (char *[]){"crash_probe", "stranger", name, NULL}, NULL);
    bool waited = other > 0 && waitpid(other, &status, 0) == other && WIFEXITED(status);
    check(waited && !(WEXITSTATUS(status) & STRANGER_FAULT),
          "SRV_FAULT from a process not its parent: ERR_PERM");
    check(waited && !(WEXITSTATUS(status) & STRANGER_LMP), "... and over LMP: ERR_PERM");
    check(waited && !(WEXITSTATUS(status) & STRANGER_PING) && srv_ping(&c, NULL, NULL) == OK,
          "pingsrv still answers after the refusals");

    pid_t client =
        spawn_on(CORE_ANY, "crash_probe", (char *[]){"crash_probe", "redial", name, NULL}, NULL);
    /* Wait for the redial client to be well under way: pingsrv counts its pings. */
    uint32_t mine = 0, count = 0;
    for (uint64_t until = sys_now_ns() + WAIT_NS; client > 0 && sys_now_ns() < until;) {
        count = served(&c);
        mine++;
        if (count >= mine + BEFORE_CRASH)
            break;
        sys_sleep_ns(1000000);
    }
    check(client > 0 && count >= mine + BEFORE_CRASH, "a redial client pings pingsrv");
    check(srv_fault(&c, NULL, NULL) == ERR_DEAD, "SRV_FAULT from its parent: no answer");
    check(ended_by(server, SIGSEGV), "pingsrv crashed: SIGSEGV, not an exit");
    chan_drop(&c);

    server = spawn_pingsrv(core);
    check(server > 0 && chan_connect(name, &c, WAIT_NS) == OK && srv_ping(&c, NULL, NULL) == OK,
          "pingsrv spawned again answers");
    check(client > 0 && waitpid(client, &status, 0) == client && WIFEXITED(status) &&
              WEXITSTATUS(status) == 0,
          "the redial client had every ping answered once, through the restart");
    check(server > 0 && kill(server, SIGTERM) == 0 && ended_by(server, SIGTERM),
          "the second pingsrv ends when told");
    pm_checks();
    printf("crash_probe: %d/%d checks passed\n", checks - failures, checks);
    return failures;
}
