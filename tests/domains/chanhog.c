/* chanhog NAME COUNT — a domain that looks up NAME for a channel COUNT times
 * and never lets one go, as a faulty driver in a loop does. Its monitor must
 * give it NS_CHANNELS_PER_DOMAIN channels, refuse the rest with ERR_LIMIT
 * (never run out of memory), and keep serving the other domains of its core:
 * with the hog still holding every channel, `ps` is started beside it and must
 * list the processes. Exits 0 when all of that held. */
#include <chan.h>
#include <errno.h>
#include <ns_calls.h>
#include <procs.h>
#include <slot_alloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys.h>
#include <sys/wait.h>

/* 0 when prog ran and exited 0; errno when it could not start; -1 else. */
static int run(char *prog)
{
    char *args[] = {prog, NULL};
    pid_t pid = spawn_on((int)sys_core_id(), prog, args, NULL);
    int status;
    if (pid < 0)
        return errno;
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return -1;
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        printf("usage: chanhog NAME COUNT\n");
        return 2;
    }
    struct ns_name q = {.flags = NS_LOOKUP_CHANNEL};
    snprintf(q.name, sizeof q.name, "%s", argv[1]);
    int count = atoi(argv[2]), opened = 0, limited = 0, other = 0;
    err_t first_other = OK;
    capaddr_t slot;
    /* Its own channels to PM and FS first, which spawning ps needs: once at
     * the limit it can open no more itself. */
    if (slot_alloc(&slot) != OK || run("true") != 0)
        return 1;
    for (int i = 0; i < count; i++) {
        struct ns_found found;
        err_t err = ns_lookup(&q, &found, 0, slot);
        if (err == OK) {
            opened++;
            (void)cap_delete(slot); /* its side goes; the channel stays open */
        } else if (err == ERR_LIMIT) {
            limited++;
        } else if (other++ == 0) {
            first_other = err;
        }
    }
    printf("chanhog: %d opened, %d over the limit of %d, %d other errors%s%s\n", opened, limited,
           NS_CHANNELS_PER_DOMAIN, other, other > 0 ? ": first " : "",
           other > 0 ? err_str(first_other) : "");
    int ps = run("ps");
    printf("chanhog: ps beside the hog %s%s\n", ps == 0 ? "ran" : "failed: ",
           ps == 0 ? "" : (ps > 0 ? strerror(ps) : "it did not exit with 0"));
    return other == 0 && ps == 0 && opened + limited == count ? 0 : 1;
}
