/* start.c — from crt0 to main: the environment lies just past argv's NULL
 * (the CPU driver's layout, proc_abi.h); a C library hooks in through
 * __crt_init (to set environ) and __crt_exit (to flush its buffers). */
#include <sys.h>

int main(int argc, char **argv, char **envp);
__attribute__((weak)) void __crt_init(char **envp);
__attribute__((noreturn)) void __crt_exit(int status);
__attribute__((noreturn)) void __crt_start(int argc, char **argv);

void __crt_start(int argc, char **argv)
{
    char **envp = argv + argc + 1;
    if (__crt_init)
        __crt_init(envp);
    __crt_exit(main(argc, argv, envp));
}
