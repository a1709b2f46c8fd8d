/* lwipopts.h — how NET configures lwIP (lwip/opt.h lists every option): no
 * operating system under it (NO_SYS: one event loop calls into lwIP, never
 * two threads), IPv4 with ARP, ICMP, UDP, TCP, raw PCBs (ping), DHCP and the
 * loopback interface. Memory comes from the C library's heap, which grows as
 * the machine allows: no pool here is sized by a constant of ours. */
#ifndef LWIPOPTS_H
#define LWIPOPTS_H

#define NO_SYS               1
#define LWIP_TIMERS          1
#define SYS_LIGHTWEIGHT_PROT 0
#define LWIP_NETCONN         0
#define LWIP_SOCKET          0

/* Memory: malloc for the heap and for every pool. */
#define MEM_LIBC_MALLOC  1
#define MEMP_MEM_MALLOC  1
#define MEM_ALIGNMENT    8
#define PBUF_POOL_SIZE   64
#define MEMP_NUM_TCP_PCB 64
#define MEMP_NUM_UDP_PCB 32
#define MEMP_NUM_RAW_PCB 16

#define LWIP_IPV4                     1
#define LWIP_IPV6                     0
#define LWIP_ARP                      1
#define ETHARP_SUPPORT_STATIC_ENTRIES 0
#define LWIP_ICMP                     1
#define LWIP_RAW                      1
#define LWIP_UDP                      1
#define LWIP_TCP                      1
#define LWIP_DHCP                     1
#define DHCP_DOES_ARP_CHECK           0 /* QEMU's user network hands out one address: no probe */
#define LWIP_AUTOIP                   0
#define LWIP_IGMP                     0
#define LWIP_DNS                      0
#define IP_FORWARD                    0
#define IP_REASSEMBLY                 1
#define IP_FRAG                       1

#define TCP_MSS            1460
#define TCP_WND            (16 * TCP_MSS) /* below 64 KiB: no window scaling */
#define TCP_SND_BUF        (16 * TCP_MSS)
#define TCP_SND_QUEUELEN   (4 * TCP_SND_BUF / TCP_MSS)
#define LWIP_TCP_KEEPALIVE 1
#define SO_REUSE           1 /* SO_REUSEADDR: a server binds its port again at once */

#define LWIP_NETIF_STATUS_CALLBACK 1
#define LWIP_NETIF_LINK_CALLBACK   1
#define LWIP_NETIF_HOSTNAME        1
#define LWIP_HAVE_LOOPIF           1
#define LWIP_NETIF_LOOPBACK        1
#define LWIP_LOOPBACK_MAX_PBUFS    64
#define LWIP_SINGLE_NETIF          0

#define LWIP_STATS         0
#define LWIP_DEBUG         0
#define LWIP_PROVIDE_ERRNO 0

#endif
