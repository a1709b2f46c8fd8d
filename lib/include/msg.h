/* msg.h — the message: one 64-byte cache line, MINIX style (type, source, payload).
 *
 * Every channel, local (LMP) or cross-core (UMP), carries exactly this. The
 * header's ctrl byte belongs to the transport (UMP publishes a slot by writing it
 * last); source is filled in by the transport and never taken from the sender.
 * len is the sender's word for how many payload bytes mean something: a server
 * refuses a request shorter than its protocol says (proto.h). */
#ifndef MSG_H
#define MSG_H

#include <stddef.h>
#include <stdint.h>

#define MSG_SIZE         64
#define MSG_HEADER_SIZE  8
#define MSG_PAYLOAD_SIZE (MSG_SIZE - MSG_HEADER_SIZE)

typedef struct msg {
    uint16_t type;   /* protocol message type, or a reply's err_t */
    uint8_t ctrl;    /* transport-owned: UMP sequence number, written last */
    uint8_t len;     /* payload bytes that carry the request or reply */
    uint32_t source; /* filled in by the transport: an LMP sender's badge */
    uint8_t payload[MSG_PAYLOAD_SIZE];
} __attribute__((aligned(MSG_SIZE))) msg_t;

_Static_assert(sizeof(msg_t) == MSG_SIZE, "a message is one cache line");
_Static_assert(_Alignof(msg_t) == MSG_SIZE, "a message starts on a cache line");
_Static_assert(offsetof(msg_t, payload) == MSG_HEADER_SIZE, "header is 8 bytes");

/* Every protocol payload struct is checked with this where it is defined. */
#define MSG_PAYLOAD_FITS(type)                                                                     \
    _Static_assert(sizeof(type) <= MSG_PAYLOAD_SIZE, #type " must fit in a message payload")

/* A message of type whose payload is a T, len set: msg_t m = MSG_OF(PM_KILL, struct pm_kill).
 * Protocols declared with proto.h have MSG(TYPE), which knows T. */
#define MSG_OF(t, T) ((msg_t){.type = (t), .len = sizeof(T)})

/* Typed access to the payload: msg_payload(m, struct pm_spawn_req). */
#define msg_payload(m, type)       ((type *)(void *)(m)->payload)
#define msg_payload_const(m, type) ((const type *)(const void *)(m)->payload)

#endif
