/* crt0.S — a domain's first instruction: set gp, align the stack and go to C
 * with the kernel's argc (a0) and argv (a1); the environment follows argv's NULL. */
    .text
    .global _start
_start:
    .option push
    .option norelax
    la gp, __global_pointer$
    .option pop
    andi sp, sp, -16
    li fp, 0
    call __crt_start
1:  j 1b
