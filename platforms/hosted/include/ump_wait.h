/* ump_wait.h — blocking receive on UMP channels for hosted code (Linux). */
#ifndef UMP_WAIT_H
#define UMP_WAIT_H

#include <ump.h>

/* Blocks until the sender signals, unless a message arrived meanwhile. */
void ump_host_wait(struct ump_rx *rx);
/* After a send: wakes the receiver if it is blocked or about to block. */
void ump_host_wake_if_waiting(struct ump_tx *tx);
/* Polls spins times, then blocks, until a message arrives. */
MUST_CHECK err_t ump_host_recv(struct ump_rx *rx, msg_t *m, unsigned spins);

#endif
