/* sys.h — the system calls as C functions, for user domains. Each returns the
 * kernel's err_t (and a value where there is one). */
#ifndef SYS_H
#define SYS_H

#include <err.h>
#include <stddef.h>
#include <stdint.h>
#include <syscall_nums.h>

struct sys_result {
    err_t err;
    uint64_t value;
};

/* The raw call: number and up to six arguments. */
struct sys_result sys_call(uint64_t num, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
                           uint64_t a4, uint64_t a5);

err_t sys_print(const char *buf, size_t len);
void sys_yield(void);
__attribute__((noreturn)) void sys_exit(int status);
unsigned sys_core_id(void);
unsigned sys_core_count(void);
void sys_sleep_ns(uint64_t ns);
err_t sys_monitor_up(void);

/* Formatted output through SYS_PRINT (see fmt.h for the conversions). */
void sys_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
