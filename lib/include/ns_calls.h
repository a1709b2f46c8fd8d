/* ns_calls.h — a domain's calls to its monitor's name service (proto/ns.h),
 * one per row of NS_MESSAGES, made by PROTO_MONITOR_CALLS:
 *
 *     err_t ns_lookup(const struct ns_name *in, struct ns_found *out,
 *                     capaddr_t give, capaddr_t take);
 *
 * and so on for ns_register, ns_spawn, ns_ram ... An answer that is an error,
 * or shorter than its row's reply, is the call's err_t. */
#ifndef NS_CALLS_H
#define NS_CALLS_H

#include <proto/ns.h>
#include <proto_monitor_calls.h>

PROTO_MONITOR_CALLS(NS_MESSAGES)

#endif
