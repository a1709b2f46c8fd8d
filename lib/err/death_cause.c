/* death_cause.c — human-readable names of the causes of a domain's end
 * (enum death_cause in proc_abi.h). */
#include <proc_abi.h>

static const char *const cause_names[DEATH__COUNT] = {
    [DEATH_EXIT] = "exit",
    [DEATH_KILLED] = "killed",
    [DEATH_PAGE_FAULT] = "page fault",
    [DEATH_PROTECTION] = "protection fault",
    [DEATH_ILLEGAL] = "illegal instruction",
    [DEATH_ARITHMETIC] = "arithmetic error",
    [DEATH_MISALIGNED] = "misaligned access",
    [DEATH_BREAKPOINT] = "breakpoint",
    [DEATH_BAD_PC] = "instruction pointer outside user space",
    [DEATH_OTHER_FAULT] = "other fault",
};

const char *death_cause_str(unsigned cause)
{
    return cause < DEATH__COUNT && cause_names[cause] != 0 ? cause_names[cause] : "unknown cause";
}
