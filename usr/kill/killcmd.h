/* killcmd.h — the kill command, for the kill program and the shell. */
#ifndef KILLCMD_H
#define KILLCMD_H

/* kill [-SIGNAL] PID...: 0, 1 if a process could not be signalled, 2 for
 * bad usage; says why on standard output. */
int kill_command(int argc, char **argv);

#endif
