/* ifs.c — the interfaces as NET_IFINFO and NET_IFSTATS show them (ifconfig):
 * lwIP's interfaces by their index, the loopback interface first. Counts are
 * kept for the interfaces over drivers; the loopback interface has none. */
#include "net.h"

#include <string.h>

uint32_t net_addr_of(const ip4_addr_t *a) { return lwip_ntohl(ip4_addr_get_u32(a)); }

static struct netif *nth(uint32_t index)
{
    return index < 254 ? netif_get_by_index((u8_t)(index + 1)) : NULL;
}

int serve_net_ifinfo(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r)
{
    (void)s, (void)c;
    struct netif *n = nth(msg_payload_const(m, struct net_if_ask)->index);
    if (n == NULL)
        return ERR_NOENT;
    struct link *l = link_of(n);
    struct net_ifinfo *i = msg_payload(r, struct net_ifinfo);
    *i = (struct net_ifinfo){.addr = net_addr_of(netif_ip4_addr(n)),
                             .netmask = net_addr_of(netif_ip4_netmask(n)),
                             .gateway = net_addr_of(netif_ip4_gw(n)),
                             .mtu = n->mtu};
    strncpy(i->name, l != NULL ? l->name : "lo", sizeof i->name - 1);
    i->flags = (netif_is_up(n) ? NET_IF_UP : 0) | (netif_is_link_up(n) ? NET_IF_LINK : 0) |
               (l == NULL ? NET_IF_LOOPBACK : 0) | (l != NULL ? NET_IF_DHCP : 0) |
               (!ip4_addr_isany_val(*netif_ip4_addr(n)) ? NET_IF_ADDRESS : 0);
    if (l != NULL) {
        i->mac_len = 6;
        memcpy(i->mac, n->hwaddr, 6);
    }
    return OK;
}

int serve_net_ifstats(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r)
{
    (void)s, (void)c;
    struct netif *n = nth(msg_payload_const(m, struct net_if_ask)->index);
    if (n == NULL)
        return ERR_NOENT;
    struct link *l = link_of(n);
    struct net_ifstats *st = msg_payload(r, struct net_ifstats);
    *st = (struct net_ifstats){0};
    if (l != NULL)
        *st = (struct net_ifstats){l->rx_packets, l->tx_packets, l->rx_errors, l->tx_errors,
                                   l->rx_dropped};
    return OK;
}
