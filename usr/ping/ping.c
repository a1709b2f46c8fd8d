/* ping [-c COUNT] [-s BYTES] [-i INTERVAL_MS] [-W TIMEOUT_MS] ADDRESS — sends
 * ICMP echo requests to an IPv4 address (dotted, no names) through NET
 * (NET_PING, proto/net.h), one at a time, and prints each reply and a
 * summary. Times are measured by NET on the emulated clock. Exit status 0 if
 * any reply came, 1 if none did, 2 for bad arguments. */
#include <chan.h>
#include <errmap.h>
#include <proto/net.h>
#include <proto_chan.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

PROTO_CHAN_CALLS(NET_MESSAGES)

#define NET_WAIT_NS 10000000000ull

static bool parse_addr(const char *s, uint32_t *out)
{
    uint32_t a = 0;
    for (int part = 0; part < 4; part++) {
        if (*s < '0' || *s > '9')
            return false;
        unsigned v = 0;
        for (int digits = 0; *s >= '0' && *s <= '9'; s++, digits++) {
            v = v * 10 + (unsigned)(*s - '0');
            if (v > 255 || digits == 3)
                return false;
        }
        a = a << 8 | v;
        if (part < 3 && *s++ != '.')
            return false;
    }
    *out = a;
    return *s == '\0';
}

static bool number(const char *s, unsigned long lo, unsigned long hi, unsigned long *out)
{
    char *end;
    unsigned long v = strtoul(s, &end, 10);
    if (*s == '\0' || *end != '\0' || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

int main(int argc, char **argv)
{
    unsigned long count = 4, bytes = 56, interval_ms = 1000, timeout_ms = 2000;
    int opt;
    bool ok = true;
    while ((opt = getopt(argc, argv, "c:s:i:W:")) != -1) {
        if (opt == 'c')
            ok &= number(optarg, 1, 1000000, &count);
        else if (opt == 's')
            ok &= number(optarg, 0, NET_PING_MAX, &bytes);
        else if (opt == 'i')
            ok &= number(optarg, 0, 60000, &interval_ms);
        else if (opt == 'W')
            ok &= number(optarg, 1, 60000, &timeout_ms);
        else
            ok = false;
    }
    uint32_t to;
    if (!ok || optind != argc - 1 || !parse_addr(argv[optind], &to)) {
        fprintf(stderr, "usage: ping [-c COUNT] [-s BYTES] [-i INTERVAL_MS] [-W TIMEOUT_MS] "
                        "A.B.C.D\n");
        return 2;
    }
    struct chan net;
    err_t err = chan_connect(NET_NAME, &net, NET_WAIT_NS);
    if (err != OK) {
        fprintf(stderr, "ping: NET: %s\n", err_str(err));
        return 1;
    }
    const char *name = argv[optind];
    printf("PING %s: %lu data bytes\n", name, bytes);
    unsigned long sent = 0, received = 0;
    for (unsigned long seq = 1; seq <= count; seq++) {
        struct net_ping q = {.addr = to,
                             .seq = (uint16_t)seq,
                             .bytes = (uint16_t)bytes,
                             .timeout_ms = (uint32_t)timeout_ms};
        struct net_pong r;
        sent++;
        err = net_ping(&net, &q, &r);
        if (err == OK) {
            received++;
            printf("%u bytes from %s: icmp_seq=%u ttl=%u time=%lu.%03lu ms\n", r.bytes + 8u, name,
                   r.seq, r.ttl, (unsigned long)(r.rtt_ns / 1000000),
                   (unsigned long)(r.rtt_ns / 1000 % 1000));
        } else {
            printf("icmp_seq=%lu: %s\n", seq, err_str(err));
            if (err == ERR_DEAD || err == ERR_UNREACH)
                break;
        }
        if (seq < count && interval_ms > 0)
            usleep((useconds_t)(interval_ms * 1000));
    }
    printf("--- %s ping statistics ---\n", name);
    printf("%lu packets transmitted, %lu received, %lu%% packet loss\n", sent, received,
           (sent - received) * 100 / sent);
    fflush(stdout);
    return received > 0 ? 0 : 1;
}
