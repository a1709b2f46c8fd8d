/* err.c — human-readable names of error codes. */
#include <err.h>

static const char *const err_names[ERR__COUNT] = {
    [OK] = "ok",
    [ERR_INVAL] = "invalid argument",
    [ERR_NOMEM] = "out of memory",
    [ERR_NOENT] = "no such entry",
    [ERR_EMPTY] = "empty input",
    [ERR_BADMAGIC] = "bad magic",
    [ERR_TRUNCATED] = "truncated",
    [ERR_RANGE] = "out of range",
    [ERR_BADNAME] = "bad name",
    [ERR_BADHDR] = "bad header field",
    [ERR_END] = "end of iteration",
    [ERR_NOSPACE] = "no space",
    [ERR_PERM] = "permission denied",
    [ERR_DEAD] = "peer is dead",
    [ERR_WOULDBLOCK] = "would block",
    [ERR_NOSYS] = "no such operation",
    [ERR_FAULT] = "bad address",
    [ERR_BUSY] = "in use",
    [ERR_REMOTE] = "copies on other cores remain",
    [ERR_NOPROC] = "no such process",
    [ERR_NOCHILD] = "no such child",
    [ERR_TOOBIG] = "too big",
    [ERR_IO] = "I/O error",
    [ERR_EXIST] = "already exists",
    [ERR_NOTDIR] = "not a directory",
    [ERR_ISDIR] = "is a directory",
    [ERR_NOTEMPTY] = "directory not empty",
    [ERR_ROFS] = "read-only file system",
    [ERR_LONGNAME] = "name too long",
    [ERR_LOOP] = "too many symbolic links",
    [ERR_BADF] = "bad file handle",
    [ERR_PIPE] = "the pipe has no reader",
    [ERR_XDEV] = "on different file systems",
    [ERR_NOEXEC] = "not a program this machine runs",
    [ERR_TIMEDOUT] = "timed out",
    [ERR_UNREACH] = "network unreachable",
    [ERR_REFUSED] = "connection refused",
    [ERR_RESET] = "connection reset",
    [ERR_ADDRINUSE] = "address in use",
    [ERR_NOTCONN] = "not connected",
    [ERR_ISCONN] = "already connected",
    [ERR_INPROGRESS] = "connection in progress",
    [ERR_LIMIT] = "over the limit for one domain",
};

const char *err_str(err_t err)
{
    if ((unsigned)err >= ERR__COUNT || err_names[err] == 0)
        return "unknown error";
    return err_names[err];
}
