/* crt0.S — a domain's first instruction: set gp, align the stack, run main,
 * exit with its status. The kernel passes the core number in a0. */
    .text
    .global _start
_start:
    .option push
    .option norelax
    la gp, __global_pointer$
    .option pop
    andi sp, sp, -16
    li fp, 0
    call main
    call __crt_exit
1:  j 1b
