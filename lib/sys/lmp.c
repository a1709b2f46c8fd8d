/* lmp.c — the local message-passing calls over the IPC buffer. */
#include <lmp.h>
#include <string.h>
#include <sys.h>

static msg_t *buffer(void) { return (msg_t *)IPC_BUFFER_VA; }

err_t ep_mint(uint32_t badge, capaddr_t to)
{
    return sys_call(SYS_EP_MINT, badge, to, 0, 0, 0, 0).err;
}

err_t lmp_send(capaddr_t ep, const msg_t *m, capaddr_t give, unsigned flags)
{
    memcpy(buffer(), m, sizeof *m);
    return sys_call(SYS_LMP_SEND, ep, give, flags, 0, 0, 0).err;
}

static uint32_t last_sender;

uint32_t lmp_last_sender(void) { return last_sender; }

static err_t took(struct sys_result r, msg_t *out, bool *got_cap)
{
    if (r.err == OK) {
        memcpy(out, buffer(), sizeof *out);
        last_sender = (uint32_t)(r.value >> LMP_SENDER_SHIFT);
    }
    if (got_cap != NULL)
        *got_cap = r.err == OK && (r.value & LMP_GOT_CAP);
    return r.err;
}

err_t lmp_recv(msg_t *out, capaddr_t take, uint32_t from, unsigned flags, bool *got_cap)
{
    return took(sys_call(SYS_LMP_RECV, take, from, flags, 0, 0, 0), out, got_cap);
}

err_t lmp_call(capaddr_t ep, const msg_t *in, msg_t *out, capaddr_t give, capaddr_t take)
{
    memcpy(buffer(), in, sizeof *in);
    return took(sys_call(SYS_LMP_CALL, ep, give, take, 0, 0, 0), out, NULL);
}

err_t lmp_reply(const msg_t *m, capaddr_t give)
{
    memcpy(buffer(), m, sizeof *m);
    return sys_call(SYS_LMP_REPLY, give, 0, 0, 0, 0, 0).err;
}

err_t lmp_reply_recv(const msg_t *reply, msg_t *out, capaddr_t take, uint32_t from, unsigned flags,
                     bool *got_cap)
{
    memcpy(buffer(), reply, sizeof *reply);
    return took(sys_call(SYS_LMP_REPLY_RECV, 0, take, from, flags, 0, 0), out, got_cap);
}

err_t lmp_notify(capaddr_t ep, uint64_t bits)
{
    return sys_call(SYS_LMP_NOTIFY, ep, bits, 0, 0, 0, 0).err;
}
