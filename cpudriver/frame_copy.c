/* frame_copy.c — copies between a frame capability's memory and the caller's
 * own, done by the kernel: a server reading what a client granted it needs no
 * mapping of the client's frame, so a client that revokes the frame in the
 * middle makes the copy fail (the capability is gone) instead of faulting
 * the server. */
#include <arch.h>
#include <cap.h>
#include <syscall.h>

#define FRAME_COPY_MAX (1u << 20) /* a copy keeps the core for this much at most */

/* (capaddr_t frame, offset, uvaddr_t buf, bytes, int to_frame) */
struct sysret_value cap_sys_frame_copy(struct dispatcher *d, const uint64_t a[6])
{
    bool to_frame = a[4] != 0;
    struct cap *f;
    err_t err =
        cap_get(d, (capaddr_t)a[0], CAP_FRAME, to_frame ? CAP_RIGHT_WRITE : CAP_RIGHT_READ, &f);
    if (err != OK)
        return (struct sysret_value){err, 0};
    uint64_t offset = a[1], bytes = a[3];
    if (bytes > FRAME_COPY_MAX)
        return (struct sysret_value){ERR_INVAL, 0};
    if (offset > f->size || bytes > f->size - offset)
        return (struct sysret_value){ERR_RANGE, 0};
    void *mem = arch_phys_to_virt(f->base + offset);
    err = to_frame ? uaccess_copy_in(d, mem, a[2], bytes) : uaccess_copy_out(d, a[2], mem, bytes);
    return (struct sysret_value){err, bytes};
}
