/* ump_wait.c — blocking on a UMP channel when hosted on Linux: a futex on the
 * receiver's waiting word stands in for the IPI the CPU drivers use. Works
 * between threads and between processes sharing the channel's memory. */
#include <linux/futex.h>
#include <sys/syscall.h>
#include <ump_wait.h>
#include <unistd.h>

static long futex(uint32_t *addr, int op, uint32_t val)
{
    return syscall(SYS_futex, addr, op, val, NULL, NULL, 0);
}

void ump_host_wait(struct ump_rx *rx)
{
    if (ump_rx_prepare_wait(rx))
        (void)futex(ump_rx_wait_word(rx), FUTEX_WAIT, 1); /* returns at once if woken first */
    ump_rx_done_waiting(rx);
}

void ump_host_wake_if_waiting(struct ump_tx *tx)
{
    if (ump_tx_wants_wake(tx))
        (void)futex(ump_tx_wait_word(tx), FUTEX_WAKE, 1);
}

err_t ump_host_recv(struct ump_rx *rx, msg_t *m, unsigned spins)
{
    for (;;) {
        for (unsigned i = 0; i < spins; i++) {
            if (ump_recv(rx, m) == OK)
                return OK;
        }
        ump_host_wait(rx);
    }
}
