/* lmp_sys.h — local message passing: MINIX-style send, receive (from any or one
 * badge), call and reply, and notify, between dispatchers of one core, through
 * endpoint capabilities. A call to a domain that is waiting to receive, and a
 * reply to a caller while the server goes back to receiving, switch straight to
 * the other domain (the fast path). */
#ifndef LMP_SYS_H
#define LMP_SYS_H

#include "kernel.h"

struct dispatcher;

/* Each never returns: it resumes the caller or another dispatcher. */
NORETURN void lmp_sys_send(struct dispatcher *d, const uint64_t a[6]);
NORETURN void lmp_sys_recv(struct dispatcher *d, const uint64_t a[6]);
NORETURN void lmp_sys_call(struct dispatcher *d, const uint64_t a[6]);
NORETURN void lmp_sys_reply(struct dispatcher *d, const uint64_t a[6]);
NORETURN void lmp_sys_reply_recv(struct dispatcher *d, const uint64_t a[6]);
NORETURN void lmp_sys_notify(struct dispatcher *d, const uint64_t a[6]);
NORETURN void lmp_sys_ep_mint(struct dispatcher *d, const uint64_t a[6]);

/* d is going away: everyone waiting on it gets ERR_DEAD. */
void lmp_on_death(struct dispatcher *d);
/* The domain an endpoint capability of d leads to (it must have write
 * rights); ERR_DEAD if that domain is gone. */
MUST_CHECK err_t lmp_endpoint_target(struct dispatcher *d, capaddr_t ep, struct dispatcher **t);
/* The kernel's own notification to t (no sender): ORs bits in, as SYS_LMP_NOTIFY. */
void lmp_kernel_notify(struct dispatcher *t, uint64_t bits);
/* A cross-core wake-up: a wakeable receive ends with ERR_WOULDBLOCK. */
bool lmp_wake(struct dispatcher *d);

#endif
