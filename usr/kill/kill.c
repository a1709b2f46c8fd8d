/* kill [-SIGNAL] PID... — the kill command (killcmd.c) as a program. */
#include "killcmd.h"

int main(int argc, char **argv) { return kill_command(argc, argv); }
