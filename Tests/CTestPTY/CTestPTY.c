// See include/CTestPTY.h. Only async-signal-safe calls between fork and exec.
#define _GNU_SOURCE
#include "CTestPTY.h"

#include <errno.h>
#include <fcntl.h>
#include <pty.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <termios.h>
#include <unistd.h>

// Closes every descriptor from `lowest` up (close_range when the kernel has it).
static void close_from(int lowest) {
#ifdef SYS_close_range
    if (syscall(SYS_close_range, (unsigned int)lowest, ~0U, 0) == 0) {
        return;
    }
#endif
    long max = sysconf(_SC_OPEN_MAX);
    if (max < 0 || max > 65536) {
        max = 65536;
    }
    for (int fd = lowest; fd < max; fd++) {
        close(fd);
    }
}

// The test runner may block or ignore signals (SIGPIPE especially); the
// program under test must start with default dispositions and an empty mask.
static void reset_signals(void) {
    static const int sigs[] = {SIGINT, SIGQUIT, SIGPIPE, SIGTERM, SIGHUP, SIGCHLD,
                               SIGTSTP, SIGTTIN, SIGTTOU, SIGWINCH, SIGALRM, SIGUSR1, SIGUSR2};
    for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
        signal(sigs[i], SIG_DFL);
    }
    sigset_t empty;
    sigemptyset(&empty);
    sigprocmask(SIG_SETMASK, &empty, NULL);
}

int curate_pty_spawn(const char *path, char *const argv[], char *const envp[],
                     int rows, int cols, int *master_fd) {
    struct winsize ws;
    memset(&ws, 0, sizeof ws);
    ws.ws_row = (unsigned short)rows;
    ws.ws_col = (unsigned short)cols;

    int master = -1;
    pid_t pid = forkpty(&master, NULL, NULL, &ws);
    if (pid < 0) {
        return -1;
    }
    if (pid == 0) {
        // Child: fds 0, 1, 2 are the pty slave (login_tty did that).
        close_from(3);
        reset_signals();
        execve(path, argv, envp);
        _exit(127);
    }
    fcntl(master, F_SETFD, FD_CLOEXEC);
    *master_fd = master;
    return (int)pid;
}

int curate_pty_resize(int fd, int rows, int cols) {
    struct winsize ws;
    memset(&ws, 0, sizeof ws);
    ws.ws_row = (unsigned short)rows;
    ws.ws_col = (unsigned short)cols;
    return ioctl(fd, TIOCSWINSZ, &ws);
}

int curate_spawn(const char *path, char *const argv[], char *const envp[],
                 int in_fd, int out_fd, int err_fd) {
    pid_t pid = fork();
    if (pid < 0) {
        return -1;
    }
    if (pid == 0) {
        // dup2 clears close-on-exec on the copies; the copy for 0/1/2 survives exec.
        if (dup2(in_fd, 0) < 0 || dup2(out_fd, 1) < 0 || dup2(err_fd, 2) < 0) {
            _exit(126);
        }
        close_from(3);
        reset_signals();
        execve(path, argv, envp);
        _exit(127);
    }
    return (int)pid;
}

int curate_pipe_cloexec(int fds[2]) {
    return pipe2(fds, O_CLOEXEC);
}
