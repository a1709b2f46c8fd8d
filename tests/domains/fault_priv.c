/* fault_priv.c — a domain that executes a privileged instruction. The CPU
 * driver must report the fault and end this domain alone. */
#include <sys.h>
#include <sys/arch.h>

int main(void)
{
    sys_printf("fault_priv: executing a privileged instruction\n");
    SYS_PRIVILEGED_INSTRUCTION();
    sys_printf("fault_priv: was not stopped\n");
    return 1;
}
