/* faultinject — faultinject SERVICE ADDR:HEXBYTES... | faultinject SERVICE -f
 * FILE: writes each fault (the bytes, in hex, at the address, in hex; from
 * FILE, separated by white space, for a batch longer than a command line)
 * into the program image of the running process SERVICE on this core, for a
 * fault-injection campaign
 * (tools/faultinject picks the faults from the service's ELF and runs this
 * with @CORE on the service's core). Its monitor gives it the one capability
 * that can (CAP_DEBUG: devices=debug of its service line), and only for a
 * domain whose service line marks it a target (devices=target); the kernel
 * refuses anything else, and anything outside the target's image.
 *
 * Prints "faultinject: N of M faults into SERVICE (pid P on core C)", and a
 * line for each fault refused. Status 0 when every fault went in, 1 when
 * some did not (or there is no such service here), 2 for bad usage. */
#include <errno.h>
#include <lmp.h>
#include <procs.h>
#include <proto/ns.h>
#include <slot_alloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys.h>

#define FAULT_MAX 64 /* bytes of one fault: what the kernel takes in one write */

struct fault {
    uint64_t va;
    uint8_t bytes[FAULT_MAX];
    size_t len;
};

static int hex_digit(char c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/* "ADDR:HEXBYTES" into f; false if it is not one. */
static bool parse(const char *arg, struct fault *f)
{
    char *end;
    errno = 0;
    f->va = strtoull(arg, &end, 16);
    if (errno != 0 || end == arg || *end != ':')
        return false;
    const char *h = end + 1;
    size_t digits = strlen(h);
    if (digits == 0 || digits % 2 != 0 || digits / 2 > FAULT_MAX)
        return false;
    for (f->len = 0; f->len < digits / 2; f->len++) {
        int hi = hex_digit(h[2 * f->len]), lo = hex_digit(h[2 * f->len + 1]);
        if (hi < 0 || lo < 0)
            return false;
        f->bytes[f->len] = (uint8_t)(hi << 4 | lo);
    }
    return true;
}

/* The running process named name on this core. */
static bool find_here(const char *name, struct pm_proc *out)
{
    struct pm_proc p;
    for (unsigned i = 0; ps_entry(i, &p) == 0; i++) {
        if (p.state != PM_ZOMBIE && p.core == sys_core_id() && strcmp(p.name, name) == 0) {
            *out = p;
            return true;
        }
    }
    return false;
}

/* The CAP_DEBUG this core's monitor gives the injector, into a slot. */
static err_t debug_cap(capaddr_t *slot)
{
    msg_t m = MSG(NS_DEVICE), r;
    struct ns_device *req = msg_payload(&m, struct ns_device);
    strcpy(req->name, "debug");
    req->index = 0;
    err_t err = slot_alloc(slot);
    if (err == OK)
        err = lmp_call(CAP_SLOT_MONITOR, &m, &r, 0, *slot);
    return err == OK ? (err_t)r.type : err;
}

/* The words of file, separated by white space, as an argument list; NULL
 * (said) if it cannot be read. */
static char **words_of(const char *path, int *count)
{
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        fprintf(stderr, "faultinject: %s: %s\n", path, strerror(errno));
        return NULL;
    }
    char **words = NULL, word[2 * FAULT_MAX + 32];
    int n = 0;
    while (fscanf(f, "%150s", word) == 1) { /* %s skips the white space before */
        char **grown = realloc(words, (size_t)(n + 1) * sizeof *words);
        if (grown == NULL || (grown[n] = strdup(word)) == NULL) {
            fprintf(stderr, "faultinject: out of memory\n");
            fclose(f);
            return NULL;
        }
        words = grown;
        n++;
    }
    fclose(f);
    *count = n;
    return words;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr,
                "usage: faultinject SERVICE ADDR:HEXBYTES... | faultinject SERVICE -f FILE\n");
        return 2;
    }
    char **words = argv + 2;
    int count = argc - 2;
    if (strcmp(argv[2], "-f") == 0) {
        if (argc != 4 || (words = words_of(argv[3], &count)) == NULL)
            return argc != 4 ? 2 : 1;
    }
    struct fault *faults = calloc(count > 0 ? (size_t)count : 1, sizeof *faults);
    if (faults == NULL) {
        fprintf(stderr, "faultinject: out of memory\n");
        return 1;
    }
    for (int i = 0; i < count; i++) {
        if (!parse(words[i], &faults[i])) {
            fprintf(stderr, "faultinject: %s: not ADDR:HEXBYTES (at most %d bytes)\n", words[i],
                    FAULT_MAX);
            return 2;
        }
    }
    struct pm_proc target;
    if (!find_here(argv[1], &target)) {
        fprintf(stderr, "faultinject: no process %s on core %u\n", argv[1], sys_core_id());
        return 1;
    }
    capaddr_t debug;
    err_t err = debug_cap(&debug);
    if (err != OK) {
        fprintf(stderr, "faultinject: no debug capability from the monitor: %s\n", err_str(err));
        return 1;
    }
    int done = 0;
    for (int i = 0; i < count; i++) {
        err = debug_write(debug, target.domain, faults[i].va, faults[i].bytes, faults[i].len);
        if (err == OK)
            done++;
        else
            fprintf(stderr, "faultinject: %s: %s\n", words[i], err_str(err));
    }
    printf("faultinject: %d of %d faults into %s (pid %d on core %u)\n", done, count, argv[1],
           (int)target.pid, (unsigned)target.core);
    return done == count ? 0 : 1;
}
