/* errno_of.c — err_t inside the system, errno at the POSIX boundary: this is
 * the one place one becomes the other. */
#include <errmap.h>
#include <errno.h>

static const int errnos[ERR__COUNT] = {
    [OK] = 0,
    [ERR_INVAL] = EINVAL,
    [ERR_NOMEM] = ENOMEM,
    [ERR_NOENT] = ENOENT,
    [ERR_EMPTY] = ENOEXEC,
    [ERR_BADMAGIC] = ENOEXEC,
    [ERR_TRUNCATED] = EINVAL,
    [ERR_RANGE] = ERANGE,
    [ERR_BADNAME] = EINVAL,
    [ERR_BADHDR] = EINVAL,
    [ERR_END] = ENOENT,
    [ERR_NOSPACE] = ENOSPC,
    [ERR_PERM] = EPERM,
    [ERR_DEAD] = EPIPE,
    [ERR_WOULDBLOCK] = EAGAIN,
    [ERR_NOSYS] = ENOSYS,
    [ERR_FAULT] = EFAULT,
    [ERR_BUSY] = EBUSY,
    [ERR_REMOTE] = EAGAIN,
    [ERR_NOPROC] = ESRCH,
    [ERR_NOCHILD] = ECHILD,
    [ERR_TOOBIG] = E2BIG,
    [ERR_IO] = EIO,
    [ERR_EXIST] = EEXIST,
    [ERR_NOTDIR] = ENOTDIR,
    [ERR_ISDIR] = EISDIR,
    [ERR_NOTEMPTY] = ENOTEMPTY,
    [ERR_ROFS] = EROFS,
    [ERR_LONGNAME] = ENAMETOOLONG,
    [ERR_LOOP] = ELOOP,
    [ERR_BADF] = EBADF,
    [ERR_PIPE] = EPIPE,
    [ERR_XDEV] = EXDEV,
    [ERR_NOEXEC] = ENOEXEC,
    [ERR_TIMEDOUT] = ETIMEDOUT,
    [ERR_UNREACH] = ENETUNREACH,
    [ERR_REFUSED] = ECONNREFUSED,
    [ERR_RESET] = ECONNRESET,
    [ERR_ADDRINUSE] = EADDRINUSE,
    [ERR_NOTCONN] = ENOTCONN,
    [ERR_ISCONN] = EISCONN,
    [ERR_INPROGRESS] = EINPROGRESS,
    [ERR_LIMIT] = EMFILE,
};

int errno_of(err_t err)
{
    if ((unsigned)err >= ERR__COUNT)
        return EIO; /* not a code of this system: something broke on the way */
    return errnos[err];
}
