/* err.h — the error codes every layer returns. Shared by the CPU drivers, the
 * domains and the host tools; a code's meaning never depends on who returns it. */
#ifndef ERR_H
#define ERR_H

typedef enum err {
    OK = 0,
    ERR_INVAL,      /* an argument is out of range or malformed */
    ERR_NOMEM,      /* out of memory or table slots */
    ERR_NOENT,      /* no such name, entry or object */
    ERR_EMPTY,      /* the input holds nothing at all */
    ERR_BADMAGIC,   /* the input is not in the expected format */
    ERR_TRUNCATED,  /* the input ends before a header or payload does */
    ERR_RANGE,      /* a length or offset runs past the end of its container */
    ERR_BADNAME,    /* a name is missing its terminator or is empty */
    ERR_BADHDR,     /* a header field is not a valid number */
    ERR_END,        /* iteration is over; not a failure */
    ERR_NOSPACE,    /* the output buffer is too small */
    ERR_PERM,       /* the caller lacks the capability for this */
    ERR_DEAD,       /* the peer has died; its endpoint generation is stale */
    ERR_WOULDBLOCK, /* the operation would have to wait */
    ERR_NOSYS,      /* no such operation */
    ERR_FAULT,      /* a pointer from a less privileged caller is not valid */
    ERR_BUSY,       /* the object is in use in a way that forbids the operation */
    ERR_REMOTE,     /* copies on other cores go first: the monitor is doing that */
    ERR_NOPROC,     /* no such process */
    ERR_NOCHILD,    /* the caller has no such child to wait for */
    ERR_TOOBIG,     /* an argument list or request is larger than allowed */
    ERR_IO,         /* a device reported that it could not do it, or its data is corrupt */
    ERR_EXIST,      /* the name is already taken */
    ERR_NOTDIR,     /* a directory was needed and this is not one */
    ERR_ISDIR,      /* this is a directory and the operation needs something else */
    ERR_NOTEMPTY,   /* the directory still holds entries */
    ERR_ROFS,       /* the file system is mounted read-only */
    ERR_LONGNAME,   /* a name is longer than the file system allows */
    ERR_LOOP,       /* too many symbolic links on the way */
    ERR_BADF,       /* no such open file, or not open for this */
    ERR_PIPE,       /* a pipe's reading end is closed */
    ERR_XDEV,       /* the names are on different file systems */
    ERR_NOEXEC,     /* not a program this machine can run */
    ERR_TIMEDOUT,   /* no answer came in the time allowed */
    ERR_UNREACH,    /* no route to that network address */
    ERR_REFUSED,    /* the peer refused the connection */
    ERR_RESET,      /* the peer reset the connection, or it was lost */
    ERR_ADDRINUSE,  /* the address and port are taken */
    ERR_NOTCONN,    /* the socket is not connected */
    ERR_ISCONN,     /* the socket is already connected */
    ERR_INPROGRESS, /* a connection has begun and will finish later */
    ERR_LIMIT,      /* the caller already holds as many of these as it may */
    ERR__COUNT
} err_t;

/* A short lower-case description, e.g. "bad magic". Never NULL. */
const char *err_str(err_t err);

/* Mark a fallible function so that ignoring its result is a compile error. */
#define MUST_CHECK __attribute__((warn_unused_result))

#endif
