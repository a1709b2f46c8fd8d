/* cons_probe — malformed requests to the console driver on a channel of its
 * own: requests it does not know, payloads shorter than their type's, fields
 * out of range. Each gets an error answer, and the driver still writes
 * afterwards; then one write() of 10 KB, which must come out whole; writes
 * sent again with the same sequence number, written once. On the
 * driver's core it also calls it over LMP, for one request at a time.
 * "cons_probe klines N" prints N lines through the kernel instead, one a
 * millisecond, for the kernel's lines to come while another probe writes. */
#include <chan.h>
#include <grant.h>
#include <lmp_abi.h>
#include <proto/console.h>
#include <proto/ns.h>
#include <proto/srv.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys.h>
#include <unistd.h>

#define LONG_LINES 160 /* of 64 bytes: 10 KB */

static struct chan raw;
static int checks, failures;

static void check(bool ok, const char *what)
{
    checks++;
    failures += !ok;
    printf("cons_probe: %s %s\n", ok ? "ok" : "FAIL", what);
}

/* The answer's type to a raw request with len payload bytes, or -1 if none came. */
static int ask(struct chan *c, uint16_t type, uint8_t len, const void *payload)
{
    msg_t m = {.type = type, .len = len}, r;
    if (payload != NULL)
        memcpy(m.payload, payload, len < MSG_PAYLOAD_SIZE ? len : MSG_PAYLOAD_SIZE);
    return chan_call(c, &m, &r) == OK ? r.type : -1;
}

static int write_at(uint32_t offset, uint32_t len)
{
    struct cons_write w = {.len = len, .offset = offset};
    return ask(&raw, CONS_WRITE, sizeof w, &w);
}

static void bad_requests(void)
{
    /* 0x301 was the foreground, which PM keeps now. */
    static const uint16_t unknown[] = {0, 0x2ff, 0x301, 0x305, 0x3ff, LMP_NOTIFY_TYPE};
    for (unsigned i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
        char what[64];
        snprintf(what, sizeof what, "unknown request 0x%x: no such operation", unknown[i]);
        check(ask(&raw, unknown[i], 0, NULL) == ERR_NOSYS, what);
    }
    struct cons_write w = {.len = 4, .offset = CONS_INLINE, .data = "abc\n"};
    check(ask(&raw, CONS_WRITE, sizeof w - 1, &w) == ERR_TRUNCATED, "a short write: truncated");
    struct srv_grant_req g = {0};
    check(ask(&raw, SRV_GRANT, sizeof g - 1, &g) == ERR_TRUNCATED, "a short grant: truncated");
    check(ask(&raw, CONS_SYNC, MSG_PAYLOAD_SIZE + 1, NULL) == ERR_TRUNCATED,
          "a length past the message: truncated");
    check(ask(&raw, CONS_READ, 255, NULL) == ERR_TRUNCATED, "a read of length 255: truncated");
    check(ask(&raw, CONS_POLL, 0, NULL) == OK, "a poll is answered at once");
    w.len = CONS_INLINE_MAX + 1;
    check(ask(&raw, CONS_WRITE, sizeof w, &w) == ERR_INVAL, "an inline write past its data: inval");
    check(write_at(0, 10) == ERR_NOENT, "a write from a grant never made: no entry");
    struct grant big, small;
    check(grant_offer(&raw, 2 * CONS_GRANT_MAX, &big) == ERR_TOOBIG, "a grant too big: refused");
    check(grant_offer(&raw, 4096, &small) == OK, "a grant of a page is taken");
    check(write_at(4096, 1) == ERR_RANGE, "a write past the grant: range");
    check(write_at(4000, 200) == ERR_RANGE, "a write running past the grant: range");
    check(write_at(0xfffffff0u, 0x20) == ERR_RANGE, "a write whose end wraps: range");
    check(write_at(0, 8192) == ERR_RANGE, "a write longer than the grant: range");
    strcpy((char *)small.va, "cons_probe: the driver writes from a grant\n");
    check(write_at(0, (uint32_t)strlen((char *)small.va)) == OK, "a write from the grant");
}

/* An inline write of line with sequence number seq over c: its answer's type. */
static int numbered(struct chan *c, uint64_t seq, const char *line)
{
    struct cons_write w = {.offset = CONS_INLINE, .seq = seq, .len = (uint32_t)strlen(line)};
    memcpy(w.data, line, w.len);
    return ask(c, CONS_WRITE, sizeof w, &w);
}

/* Writes sent again with the number of the last one (as after a lost answer)
 * are answered and not written: the boot test counts the lines. Numbers far
 * past the ones this process's printf has used (they count from 1). */
static void repeats(const char *name)
{
    check(numbered(&raw, 1000007, "cons_probe: number 7, written once\n") == OK &&
              numbered(&raw, 1000007, "cons_probe: number 7, written once\n") == OK,
          "a write sent again with its number: answered");
    check(numbered(&raw, 1000003, "cons_probe: an older number is written\n") == OK,
          "a number older than the last: written");
    check(numbered(&raw, 0, "cons_probe: no number, each written\n") == OK &&
              numbered(&raw, 0, "cons_probe: no number, each written\n") == OK,
          "writes without a number: each written");
    struct chan again;
    check(chan_connect(name, &again, 2000000000ull) == OK &&
              numbered(&raw, 1000011, "cons_probe: number 11, written once\n") == OK &&
              numbered(&again, 1000011, "cons_probe: number 11, written once\n") == OK,
          "sent again on another channel of the same process: answered");
    chan_drop(&again);
}

/* One write() of LONG_LINES numbered lines, with a kernel line logged just
 * before it: the kernel's line may come before or after, never inside. */
static void long_write(void)
{
    static char buf[LONG_LINES * 64 + 1];
    for (int i = 0; i < LONG_LINES; i++)
        snprintf(buf + i * 64, 65, "cons_probe: long %03d %-*s|\n", i, 41,
                 "abcdefghijklmnopqrstuvwxyz");
    const char *k = "cons_probe: a kernel line\n";
    (void)sys_print(k, strlen(k));
    check(write(1, buf, LONG_LINES * 64) == LONG_LINES * 64, "10 KB in one write()");
}

/* n lines through the kernel, one a millisecond: they keep coming for a while. */
static int klines(int n)
{
    for (int i = 0; i < n; i++) {
        char line[48];
        int len = snprintf(line, sizeof line, "cons_probe: kernel line %d\n", i);
        (void)sys_print(line, (size_t)len);
        for (uint64_t until = sys_now_ns() + 1000000; sys_now_ns() < until;)
            ;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "klines") == 0)
        return klines(atoi(argv[2]));
    const char *name = getenv(CONSOLE_ENV);
    if (name == NULL || chan_connect(name, &raw, 2000000000ull) != OK) {
        printf("cons_probe: FAIL no console driver to probe\n");
        return 1;
    }
    long_write();
    fflush(stdout);
    bad_requests();
    fflush(stdout);
    repeats(name);
    struct cons_write w = {.offset = CONS_INLINE};
    strcpy(w.data, "cons_probe: the driver still writes\n");
    w.len = (uint32_t)strlen(w.data);
    check(ask(&raw, CONS_WRITE, sizeof w, &w) == OK, "a good write after them is answered");
    check(ask(&raw, CONS_SYNC, 0, NULL) == OK, "a sync is answered");
    msg_t first = MSG(CONS_READ); /* waits: nobody types in this test */
    check(chan_send(&raw, &first) == OK && ask(&raw, CONS_READ, 0, NULL) == ERR_INVAL,
          "a second read while one waits: inval");
    struct chan local;
    if (chan_lookup(name, &local) == OK && local.kind == NS_LOCAL) {
        check(ask(&local, CONS_SYNC, 0, NULL) == OK, "a sync over LMP is answered");
        check(ask(&local, CONS_READ, 0, NULL) == ERR_WOULDBLOCK,
              "a read over LMP, which cannot wait, would block");
        check(ask(&local, SRV_GRANT, sizeof(struct srv_grant_req), &(struct srv_grant_req){0}) ==
                  ERR_INVAL,
              "a grant over LMP is refused");
        /* Only a monitor may say that a client ended: from anyone else it is
         * a request like any other (unknown), and this probe's own channel
         * stays. */
        struct cap_info me;
        struct ns_peer self = {sys_core_id(), 0};
        if (cap_identify(CAP_SLOT_SELF, &me) == OK)
            self.domain = (uint32_t)me.base;
        check(ask(&local, NS_DISCONNECTED, sizeof self, &self) == ERR_NOSYS &&
                  ask(&raw, CONS_SYNC, 0, NULL) == OK,
              "a forged notice that this probe ended: refused, its channel kept");
    }
    printf("cons_probe: %d/%d checks passed\n", checks - failures, checks);
    return failures;
}
