/* uart.c — the hosted console: a 16550 at COM1 whose line is this terminal.
 * The console driver runs unchanged: its port reads and writes (SYS_IO_IN,
 * SYS_IO_OUT) come here, on core 0. Output goes to standard output; input
 * comes from standard input, read by a thread of its own, and raises the
 * console's interrupt line while bytes wait and the receive interrupt is on.
 * A terminal is put in raw mode for the run (the system does its own line
 * editing and Ctrl-C) and restored on every way out; Ctrl-A X stops the
 * system, as it does under QEMU. */
#include <arch.h>
#include <irq.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "hosted.h"

enum { RBR = 0, IER = 1, IIR = 2, LCR = 3, MCR = 4, LSR = 5, MSR = 6, SCR = 7 };

#define LSR_DATA 0x01
#define LSR_THRE 0x20
#define LSR_TEMT 0x40
#define IER_RX   0x01
#define IN_RING  4096u
#define OUT_MAX  4096u
#define CTRL_A   0x01

static uint8_t regs[8];
static uint8_t in_ring[IN_RING];
static uint32_t in_head, in_tail; /* the reader thread adds at head */
static char out[OUT_MAX];
static size_t out_len;
static bool in_service; /* the line was raised and not yet acknowledged */
static struct termios saved;
static bool terminal_raw;

void uart_flush(void)
{
    size_t done = 0;
    while (done < out_len) {
        ssize_t n = write(STDOUT_FILENO, out + done, out_len - done);
        if (n <= 0)
            break; /* nobody reads: the output is lost, the system goes on */
        done += (size_t)n;
    }
    out_len = 0;
}

static void put(char c)
{
    if (out_len == OUT_MAX)
        uart_flush();
    out[out_len++] = c;
}

void arch_serial_write(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\n')
            put('\r');
        put(s[i]);
    }
}

void uart_restore_terminal(void)
{
    uart_flush();
    if (terminal_raw)
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
    terminal_raw = false;
}

static void on_fatal(int sig)
{
    uart_restore_terminal();
    signal(sig, SIG_DFL);
    raise(sig);
}

static void stop_system(void)
{
    static const char msg[] = "\r\nrun: Ctrl-A X: stopping the system\r\n";
    (void)!write(STDERR_FILENO, msg, sizeof msg - 1);
    struct hosted_machine *m = hosted_machine();
    m->exit_status = 0;
    __atomic_store_n(&m->exit_requested, 1, __ATOMIC_RELEASE);
    hosted_ring(0);
}

static void *reader(void *arg)
{
    (void)arg;
    bool after_ctrl_a = false;
    for (;;) {
        uint8_t buf[256];
        ssize_t n = read(STDIN_FILENO, buf, sizeof buf);
        if (n <= 0)
            return NULL; /* end of input: the console just gets no more */
        for (ssize_t i = 0; i < n; i++) {
            if (terminal_raw && after_ctrl_a && (buf[i] == 'x' || buf[i] == 'X'))
                stop_system();
            after_ctrl_a = terminal_raw && buf[i] == CTRL_A && !after_ctrl_a;
            if (after_ctrl_a)
                continue;
            uint32_t head = __atomic_load_n(&in_head, __ATOMIC_RELAXED);
            while (head - __atomic_load_n(&in_tail, __ATOMIC_ACQUIRE) == IN_RING)
                usleep(1000); /* the console reads slower than this is typed */
            in_ring[head % IN_RING] = buf[i];
            __atomic_store_n(&in_head, head + 1, __ATOMIC_RELEASE);
        }
        hosted_ring(0);
    }
}

void uart_start(void)
{
    if (isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &saved) == 0) {
        struct termios raw = saved;
        cfmakeraw(&raw);
        if (tcsetattr(STDIN_FILENO, TCSAFLUSH, &raw) == 0) {
            terminal_raw = true;
            atexit(uart_restore_terminal);
            int fatal[] = {SIGTERM, SIGHUP, SIGQUIT, SIGSEGV, SIGABRT, SIGBUS, SIGILL, SIGFPE};
            for (size_t i = 0; i < sizeof fatal / sizeof fatal[0]; i++)
                signal(fatal[i], on_fatal);
        }
    }
    pthread_t t;
    if (pthread_create(&t, NULL, reader, NULL) == 0)
        pthread_detach(t);
}

static bool input_waiting(void) { return __atomic_load_n(&in_head, __ATOMIC_ACQUIRE) != in_tail; }

void uart_poll(void)
{
    if (!in_service && (regs[IER] & IER_RX) && input_waiting())
        in_service = irq_raised(UART_IRQ);
}

void uart_irq_done(void) { in_service = false; }

bool uart_io_in(uint16_t port, uint32_t *value)
{
    unsigned reg = port - UART_BASE;
    switch (reg) {
    case RBR:
        if (regs[LCR] & 0x80 || !input_waiting()) {
            *value = 0;
            return true;
        }
        *value = in_ring[in_tail % IN_RING];
        __atomic_store_n(&in_tail, in_tail + 1, __ATOMIC_RELEASE);
        return true;
    case IIR:
        *value = (regs[IER] & IER_RX) && input_waiting() ? 0xc4 : 0xc1;
        return true;
    case LSR:
        *value = LSR_THRE | LSR_TEMT | (input_waiting() ? LSR_DATA : 0);
        return true;
    case MSR:
        *value = 0xb0; /* CTS, DSR, DCD */
        return true;
    default:
        *value = regs[reg];
        return true;
    }
}

bool uart_io_out(uint16_t port, uint32_t value)
{
    unsigned reg = port - UART_BASE;
    if (reg == RBR && !(regs[LCR] & 0x80)) {
        put((char)value);
        return true;
    }
    if (reg != IIR) /* FCR: the FIFOs need nothing here */
        regs[reg] = (uint8_t)value;
    return true;
}
