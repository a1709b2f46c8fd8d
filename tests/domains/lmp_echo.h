/* lmp_echo.h — the little protocol between lmp_server and lmp_client. */
#ifndef LMP_ECHO_H
#define LMP_ECHO_H

#include <stdint.h>

enum {
    ECHO_PING = 1, /* payload: uint64_t seq; reply: seq + 1 */
    ECHO_BITS,     /* reply: the notification bits received so far */
    ECHO_FRAME,    /* a frame comes along; reply: the first word in it */
    ECHO_QUIT,     /* reply, then exit */
};

#endif
