/* nsflood [CHILDREN [ROUNDS]] — many domains on every core hammer the
 * monitors at once: each child, ROUNDS times, registers a name of its own,
 * looks up its own name, a server's (pm, rs, console: a channel across cores,
 * through the name's home), and a name nobody has, and has PM start `true` on
 * another core and waits for it. Every request must get its answer (or an
 * error); a request that is lost hangs its child, and the test's deadline
 * catches that. Each child exits with its count of wrong answers. */
#include <chan.h>
#include <procs.h>
#include <slot_alloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *const servers[] = {"pm", "rs", "console"};

static int wrong(const char *what, err_t err)
{
    printf("nsflood: pid %d: %s: %s\n", (int)getpid(), what, err_str(err));
    return 1;
}

static int child(int rounds)
{
    int bad = 0;
    unsigned ncores = sys_core_count();
    for (int r = 0; r < rounds; r++) {
        char name[NS_NAME_MAX];
        snprintf(name, sizeof name, "flood.%d.%d", (int)getpid(), r);
        capaddr_t ep;
        err_t err = slot_alloc(&ep);
        if (err == OK)
            err = chan_register(name, 1, ep);
        if (err != OK)
            bad += wrong("register", err);
        struct chan c;
        if ((err = chan_lookup(name, &c)) != OK)
            bad += wrong("lookup of its own name", err);
        else
            chan_drop(&c);
        const char *server = servers[(unsigned)(getpid() + r) % 3];
        if ((err = chan_connect(server, &c, 0)) != OK)
            bad += wrong(server, err);
        else
            chan_drop(&c);
        if ((err = chan_lookup("flood.nobody", &c)) != ERR_NOENT)
            bad += wrong("lookup of no name", err == OK ? ERR_INVAL : err);
        char *args[] = {"true", NULL};
        pid_t pid = spawn_on((int)((sys_core_id() + 1 + (unsigned)r) % ncores), "true", args, NULL);
        int status;
        if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
            WEXITSTATUS(status) != 0)
            bad += wrong("spawn", ERR_INVAL);
    }
    return bad > 100 ? 100 : bad;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "child") == 0)
        return child(atoi(argv[2]));
    int children = argc > 1 ? atoi(argv[1]) : 32, rounds = argc > 2 ? atoi(argv[2]) : 5;
    unsigned ncores = sys_core_count();
    char r[16];
    snprintf(r, sizeof r, "%d", rounds);
    char *args[] = {"nsflood", "child", r, NULL};
    for (int i = 0; i < children; i++) {
        if (spawn_on((int)((unsigned)i % ncores), "nsflood", args, NULL) < 0) {
            printf("nsflood: cannot spawn child %d\n", i);
            return 1;
        }
    }
    int bad = 0, status;
    for (int i = 0; i < children; i++) {
        if (wait(&status) < 0)
            return 1;
        bad += WIFEXITED(status) ? WEXITSTATUS(status) : 100;
    }
    printf("nsflood: %d children x %d rounds on %u cores: %d wrong answers, none lost\n", children,
           rounds, ncores, bad);
    return bad == 0 ? 0 : 1;
}
