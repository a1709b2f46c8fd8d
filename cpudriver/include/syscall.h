/* syscall.h — system-call dispatch and safe access to user memory. */
#ifndef SYSCALL_H
#define SYSCALL_H

#include "dispatch.h"

/* Runs system call num for d (its registers already saved), then resumes it or
 * another dispatcher. */
NORETURN void syscall_dispatch(struct dispatcher *d, uint64_t num, const uint64_t a[6]);

/* Copies len bytes from d's address space; ERR_FAULT if any byte is not mapped
 * user-readable (which also refuses every kernel address). */
MUST_CHECK err_t uaccess_copy_in(struct dispatcher *d, void *dst, uvaddr_t src, uint64_t len);

/* Copies len bytes into d's address space; ERR_FAULT unless every byte is
 * mapped user-writable. */
MUST_CHECK err_t uaccess_copy_out(struct dispatcher *d, uvaddr_t dst, const void *src,
                                  uint64_t len);

#endif
