/* errmap.h — the errno a POSIX call reports for an err_t from inside the
 * system (OK is 0; a code outside err_t is EIO). */
#ifndef ERRMAP_H
#define ERRMAP_H

#include <err.h>

int errno_of(err_t err);

#endif
