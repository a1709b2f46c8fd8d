/* stack.h — lwIP's headers, the only way NET includes them. lwIP and this
 * system both name an error type err_t and codes ERR_WOULDBLOCK, ERR_ISCONN
 * and ERR_INPROGRESS: inside lwIP's headers they are renamed lwip_err_t and
 * LWIP_ERR_*, so that err_t in NET's own code is always the system's
 * (err.h). Every lwIP header NET uses is included here, under the renaming. */
#ifndef NET_STACK_H
#define NET_STACK_H

#define err_t          lwip_err_t
#define ERR_WOULDBLOCK LWIP_ERR_WOULDBLOCK
#define ERR_ISCONN     LWIP_ERR_ISCONN
#define ERR_INPROGRESS LWIP_ERR_INPROGRESS
#include <lwip/dhcp.h>
#include <lwip/etharp.h>
#include <lwip/icmp.h>
#include <lwip/inet_chksum.h>
#include <lwip/init.h>
#include <lwip/ip.h>
#include <lwip/ip4_addr.h>
#include <lwip/netif.h>
#include <lwip/pbuf.h>
#include <lwip/prot/ip4.h>
#include <lwip/raw.h>
#include <lwip/sys.h>
#include <lwip/tcp.h>
#include <lwip/timeouts.h>
#include <lwip/udp.h>
#include <netif/ethernet.h>
#undef err_t
#undef ERR_WOULDBLOCK
#undef ERR_ISCONN
#undef ERR_INPROGRESS

#endif
