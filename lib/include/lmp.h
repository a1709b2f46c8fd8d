/* lmp.h — local message passing for user domains (see lmp_abi.h): send,
 * receive, call, reply and notify to other domains on the same core through
 * endpoint capabilities. Messages are copied through this domain's IPC buffer. */
#ifndef LMP_H
#define LMP_H

#include <cap_types.h>
#include <err.h>
#include <lmp_abi.h>
#include <msg.h>
#include <stdbool.h>

/* Makes an endpoint to this domain in slot to; the receiver sees the badge. */
err_t ep_mint(uint32_t badge, capaddr_t to);
/* Sends m; give (0 for none) is a capability to pass with it. */
err_t lmp_send(capaddr_t ep, const msg_t *m, capaddr_t give, unsigned flags);
/* Receives into out from any sender (from = LMP_ANY) or the one with that
 * badge; a capability that comes along goes to slot take (*got_cap says). */
err_t lmp_recv(msg_t *out, capaddr_t take, uint32_t from, unsigned flags, bool *got_cap);
/* Sends in and waits for the reply. */
err_t lmp_call(capaddr_t ep, const msg_t *in, msg_t *out, capaddr_t give, capaddr_t take);
/* Answers the caller last received. */
err_t lmp_reply(const msg_t *m, capaddr_t give);
/* Answers the caller last received, then receives the next message. */
err_t lmp_reply_recv(const msg_t *reply, msg_t *out, capaddr_t take, uint32_t from, unsigned flags,
                     bool *got_cap);
/* The domain id of the sender of the message last received (0: the kernel, a
 * notification). The kernel supplies it; senders cannot forge it. */
uint32_t lmp_last_sender(void);
/* Whether m, just received, is the kernel's notification (bits in its
 * payload): a domain that sends a message of that type is not the kernel. */
static inline bool lmp_is_notification(const msg_t *m)
{
    return m->type == LMP_NOTIFY_TYPE && lmp_last_sender() == 0;
}
/* ORs bits into the receiver's notifications; never blocks. */
err_t lmp_notify(capaddr_t ep, uint64_t bits);

#endif
