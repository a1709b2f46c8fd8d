/* lmp_abi.h — local message passing between domains on one core, as the CPU
 * driver and the user runtime agree on it. A message travels between the IPC
 * buffers of the two domains: one page the CPU driver maps at IPC_BUFFER_VA in
 * every domain; the message is its first 64 bytes. The receiver sees in
 * msg.source the badge of the endpoint capability the sender used: senders
 * cannot forge it. */
#ifndef LMP_ABI_H
#define LMP_ABI_H

#include <stdint.h>

#define IPC_BUFFER_VA 0x3ff000ul

#define LMP_ANY          0xffffffffu /* receive from any badge */
#define LMP_NONBLOCK     (1u << 0)   /* return ERR_WOULDBLOCK instead of waiting */
#define LMP_WAKEABLE     (1u << 1)   /* a cross-core wake-up ends the wait (ERR_WOULDBLOCK) */
#define LMP_NOTIFY_TYPE  0xfffe      /* msg.type of a notification; payload: uint64_t bits */
#define LMP_GOT_CAP      (1u << 0)   /* in a receive's value: a capability came with it */
#define LMP_SENDER_SHIFT 32          /* and above this bit: the sender's domain id (0: kernel) */
#define LMP_GIVE_MOVE    (1u << 31)  /* in a give slot: the capability moves, not a copy */

/* Slot every non-monitor domain starts with: an endpoint to its core's monitor. */
#define CAP_SLOT_MONITOR 5

#endif
