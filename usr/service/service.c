/* service — the reincarnation server's table and orders (MINIX's service):
 *
 *   service list              every service: pid, core, state, restarts,
 *                             uptime, and how it last died
 *   service restart NAME      end it and start it again
 *   service stop NAME         end it; RS leaves it ended
 *   service start NAME        start a stopped (or given up) one
 *   service fault NAME [N]    make it crash in its own code, N times (for
 *                             tests): each returns once it answers again
 *   service up MODULE [core=N] [heartbeat=MS] [limit=N] [backoff=MS]
 *                     [restart=always|never]
 *                             add a service that serves under its own name
 *
 * Drivers and servers themselves may not give orders (RS refuses them). */
#include <chan.h>
#include <errmap.h>
#include <proto/rs.h>
#include <proto_chan.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

PROTO_CHAN_CALLS(RS_MESSAGES)

#define RS_WAIT_NS 5000000000ull

static const char *const state_names[] = {[RS_RUNNING] = "running",
                                          [RS_WAITING] = "waiting",
                                          [RS_STOPPED] = "stopped",
                                          [RS_GAVE_UP] = "gave up"};

static int usage(void)
{
    printf("usage: service list | restart NAME | stop NAME | start NAME | fault NAME [TIMES]\n"
           "       service up MODULE [core=N] [heartbeat=MS] [limit=N] [backoff=MS] "
           "[restart=always|never]\n");
    return 2;
}

static int failed(const char *what, const char *name, err_t err)
{
    if (err == ERR_PERM)
        printf("service: %s %s: not permitted (drivers and servers may not order RS)\n", what,
               name);
    else if (err == ERR_NOENT && strcmp(what, "up") == 0)
        printf("service: up %s: no such module in the boot archive\n", name);
    else if (err == ERR_NOENT && strcmp(what, "fault") == 0)
        printf("service: fault %s: no such service, or it serves no name to reach it at\n", name);
    else if (err == ERR_NOENT)
        printf("service: %s %s: no such service\n", what, name);
    else if (err == ERR_BUSY && strcmp(what, "up") == 0)
        printf("service: up %s: already a service\n", name);
    else if (err == ERR_BUSY && strcmp(what, "start") == 0)
        printf("service: start %s: already running\n", name);
    else if (err == ERR_NOPROC)
        printf("service: %s %s: not running\n", what, name);
    else
        printf("service: %s %s: %s\n", what, name, err_str(err));
    return 1;
}

static void seconds(char *buf, size_t cap, uint32_t ms)
{
    snprintf(buf, cap, "%lu.%lu s", (unsigned long)(ms / 1000), (unsigned long)(ms % 1000 / 100));
}

static int list(struct chan *rs)
{
    printf("NAME             PID CORE STATE    RESTARTS UPTIME     LAST DEATH\n");
    struct rs_status st;
    err_t err;
    uint32_t i = 0;
    for (; (err = rs_status(rs, &(struct rs_index){i}, &st)) == OK; i++) {
        char pid[16] = "-", core[16] = "-", up[24] = "-", last[160] = "-";
        if (st.state == RS_RUNNING) {
            snprintf(pid, sizeof pid, "%d", (int)st.pid);
            snprintf(core, sizeof core, "%u", (unsigned)st.core);
            seconds(up, sizeof up, st.up_ms);
        }
        struct rs_death d;
        if (rs_death(rs, &(struct rs_index){i}, &d) == OK) {
            char how[112], ago[24];
            rs_death_describe(&d, how, sizeof how);
            seconds(ago, sizeof ago, d.ago_ms);
            snprintf(last, sizeof last, "%s, %s ago", how, ago);
        }
        const char *state =
            st.state < sizeof state_names / sizeof *state_names && state_names[st.state] != NULL
                ? state_names[st.state]
                : "?";
        printf("%-15.31s %4s %4s %-8s %8u %-10s %s\n", st.name, pid, core, state,
               (unsigned)st.restarts, up, last);
    }
    if (err != ERR_NOENT) {
        printf("service: list: %s\n", err_str(err));
        return 1;
    }
    return 0;
}

static bool number(const char *s, uint32_t *out)
{
    char *end;
    unsigned long v = strtoul(s, &end, 10);
    if (*s == '\0' || *end != '\0' || v > 100000000ul)
        return false;
    *out = (uint32_t)v;
    return true;
}

static int up(struct chan *rs, int argc, char **argv)
{
    struct rs_up u = {.core = -1, .limit = 5, .restart = 1, .backoff_ms = 100};
    if (strlen(argv[2]) >= sizeof u.name)
        return usage();
    strcpy(u.name, argv[2]);
    for (int i = 3; i < argc; i++) {
        const char *a = argv[i];
        uint32_t v;
        if (strncmp(a, "core=", 5) == 0 && number(a + 5, &v))
            u.core = (int32_t)v;
        else if (strncmp(a, "heartbeat=", 10) == 0 && number(a + 10, &v))
            u.heartbeat_ms = v;
        else if (strncmp(a, "limit=", 6) == 0 && number(a + 6, &v) && v <= 0xffff)
            u.limit = (uint16_t)v;
        else if (strncmp(a, "backoff=", 8) == 0 && number(a + 8, &v) && v > 0)
            u.backoff_ms = v;
        else if (strcmp(a, "restart=always") == 0 || strcmp(a, "restart=never") == 0)
            u.restart = a[8] == 'a';
        else
            return usage();
    }
    err_t err = rs_up(rs, &u, NULL);
    return err == OK ? 0 : failed("up", u.name, err);
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return usage();
    struct chan rs;
    err_t err = chan_connect(RS_NAME, &rs, RS_WAIT_NS);
    if (err != OK) {
        printf("service: no reincarnation server: %s\n", err_str(err));
        return 1;
    }
    if (strcmp(argv[1], "list") == 0 && argc == 2)
        return list(&rs);
    if (strcmp(argv[1], "up") == 0 && argc >= 3)
        return up(&rs, argc, argv);
    uint32_t times = 1;
    bool fault = strcmp(argv[1], "fault") == 0;
    if (fault && argc == 4 && (!number(argv[3], &times) || times == 0))
        return usage();
    if ((argc != 3 && !(fault && argc == 4)) || strlen(argv[2]) >= NS_MODULE_MAX)
        return usage();
    struct rs_name n = {{0}};
    strcpy(n.name, argv[2]);
    if (fault) {
        for (uint32_t i = 0; i < times; i++) {
            if ((err = rs_fault(&rs, &n, NULL)) != OK)
                return failed("fault", n.name, err);
        }
        return 0;
    }
    if (strcmp(argv[1], "restart") == 0)
        err = rs_restart(&rs, &n, NULL);
    else if (strcmp(argv[1], "stop") == 0)
        err = rs_stop(&rs, &n, NULL);
    else if (strcmp(argv[1], "start") == 0)
        err = rs_start(&rs, &n, NULL);
    else
        return usage();
    return err == OK ? 0 : failed(argv[1], n.name, err);
}
