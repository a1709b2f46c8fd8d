/* ifconfig [NAME] — shows NET's interfaces (or the one called NAME): flags,
 * MTU, IPv4 address, netmask and gateway, hardware address, and packet and
 * error counts, asked of NET (proto/net.h). It changes nothing: addresses
 * come from DHCP. Exit status 1 if NET cannot be reached or there is no
 * interface NAME. */
#include <chan.h>
#include <errmap.h>
#include <proto/net.h>
#include <proto_chan.h>
#include <stdio.h>
#include <string.h>

PROTO_CHAN_CALLS(NET_MESSAGES)

#define NET_WAIT_NS 10000000000ull

static void addr(const char *label, uint32_t a)
{
    printf(" %s %u.%u.%u.%u", label, a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255);
}

static void flags(uint32_t f)
{
    static const struct {
        uint32_t bit;
        const char *name;
    } names[] = {{NET_IF_UP, "UP"},
                 {NET_IF_LINK, "LINK"},
                 {NET_IF_LOOPBACK, "LOOPBACK"},
                 {NET_IF_DHCP, "DHCP"}};
    const char *sep = "";
    printf("flags=");
    for (unsigned i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (f & names[i].bit) {
            printf("%s%s", sep, names[i].name);
            sep = ",";
        }
    }
}

static void show(const struct net_ifinfo *i, const struct net_ifstats *st)
{
    printf("%s: ", i->name);
    flags(i->flags);
    printf(" mtu %u\n   ", i->mtu);
    if (i->flags & NET_IF_ADDRESS) {
        addr("inet", i->addr);
        addr("netmask", i->netmask);
        if (i->flags & NET_IF_LOOPBACK)
            ;
        else if (i->gateway != 0)
            addr("gateway", i->gateway);
        else
            printf(" gateway none");
    } else {
        printf(" inet none%s", i->flags & NET_IF_DHCP ? " (asking DHCP)" : "");
    }
    printf("\n");
    if (i->mac_len == 6) {
        const uint8_t *m = i->mac;
        printf("    ether %02x:%02x:%02x:%02x:%02x:%02x\n", m[0], m[1], m[2], m[3], m[4], m[5]);
    }
    printf("    RX packets %lu errors %lu dropped %lu\n", (unsigned long)st->rx_packets,
           (unsigned long)st->rx_errors, (unsigned long)st->rx_dropped);
    printf("    TX packets %lu errors %lu\n", (unsigned long)st->tx_packets,
           (unsigned long)st->tx_errors);
}

int main(int argc, char **argv)
{
    if (argc > 2 || (argc == 2 && argv[1][0] == '-')) {
        fprintf(stderr, "usage: ifconfig [NAME]\n");
        return 2;
    }
    const char *only = argc == 2 ? argv[1] : NULL;
    struct chan net;
    err_t err = chan_connect(NET_NAME, &net, NET_WAIT_NS);
    if (err != OK) {
        fprintf(stderr, "ifconfig: NET: %s\n", err_str(err));
        return 1;
    }
    bool found = false;
    struct net_ifinfo info;
    struct net_ifstats st;
    for (uint32_t i = 0; (err = net_ifinfo(&net, &(struct net_if_ask){i}, &info)) == OK; i++) {
        info.name[sizeof info.name - 1] = '\0';
        if (only != NULL && strcmp(only, info.name) != 0)
            continue;
        if ((err = net_ifstats(&net, &(struct net_if_ask){i}, &st)) != OK)
            break;
        show(&info, &st);
        found = true;
    }
    if (err != ERR_NOENT) {
        fprintf(stderr, "ifconfig: NET: %s\n", err_str(err));
        return 1;
    }
    if (only != NULL && !found) {
        fprintf(stderr, "ifconfig: %s: no such interface\n", only);
        return 1;
    }
    return fflush(stdout) == 0 ? 0 : 1;
}
