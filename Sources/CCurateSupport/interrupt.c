#include "CCurateSupport.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <string.h>
#include <unistd.h>
#include <errno.h>

/* Written by the main thread, read by the signal handler: a pointer swap is atomic on our targets. */
static PGcancel *volatile cancel_target = NULL;
static volatile sig_atomic_t interrupt_pending = 0;
static volatile sig_atomic_t query_running = 0;
/* Self-pipe: the handler writes a byte, so a reader that was not blocked in read() when the
 * signal came (libedit busy redrawing) still sees it at its next poll. */
static int interrupt_pipe[2] = {-1, -1};

static void handle_sigint(int signo) {
    (void)signo;
    int saved_errno = errno;
    interrupt_pending = 1;
    if (interrupt_pipe[1] >= 0) (void)!write(interrupt_pipe[1], "i", 1);
    PGcancel *target = cancel_target;
    if (target != NULL && query_running) {
        char errbuf[256];
        /* PQcancel is documented as safe to call from a signal handler. */
        if (PQcancel(target, errbuf, sizeof errbuf)) {
            static const char msg[] = "Cancel request sent\n";
            (void)!write(STDERR_FILENO, msg, sizeof msg - 1);
        } else {
            static const char msg[] = "Could not send cancel request: ";
            (void)!write(STDERR_FILENO, msg, sizeof msg - 1);
            (void)!write(STDERR_FILENO, errbuf, strlen(errbuf));
        }
    }
    errno = saved_errno;
}

void curate_install_interrupt_handler(void) {
    if (interrupt_pipe[0] < 0 && pipe(interrupt_pipe) == 0) {
        for (int i = 0; i < 2; i++) {
            fcntl(interrupt_pipe[i], F_SETFD, FD_CLOEXEC);
            fcntl(interrupt_pipe[i], F_SETFL, fcntl(interrupt_pipe[i], F_GETFL) | O_NONBLOCK);
        }
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = handle_sigint;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;
    sigaction(SIGINT, &sa, NULL);
    /* A pager that quits early closes our pipe: a write error to handle, not a signal to die of. */
    signal(SIGPIPE, SIG_IGN);
}

static PGconn *cancel_connection = NULL;

void curate_set_cancel_target(PGconn *conn) {
    PGcancel *old = cancel_target;
    cancel_target = NULL;
    if (old != NULL) PQfreeCancel(old);
    cancel_connection = conn;
    if (conn != NULL) cancel_target = PQgetCancel(conn);
}

int curate_cancel_target_is(PGconn *conn) { return conn != NULL && cancel_connection == conn; }

void curate_set_query_running(int running) { query_running = running; }

static void drain_interrupt_pipe(void) {
    char buffer[64];
    if (interrupt_pipe[0] < 0) return;
    while (read(interrupt_pipe[0], buffer, sizeof buffer) > 0) {}
}

int curate_take_interrupt(void) {
    /* The pipe holds a byte only after an interrupt: no read (a system call per statement) when
       there was none. A byte left by a handler racing this is drained by curate_wait_readable. */
    int was = interrupt_pending;
    if (!was) return 0;
    interrupt_pending = 0;
    drain_interrupt_pipe();
    return was;
}

int curate_interrupt_pending(void) { return interrupt_pending; }

int curate_wait_readable(int fd) {
    for (;;) {
        struct pollfd fds[2] = {{fd, POLLIN, 0}, {interrupt_pipe[0], POLLIN, 0}};
        int count = poll(fds, interrupt_pipe[0] >= 0 ? 2 : 1, -1);
        if (interrupt_pending) return -1;
        if (count < 0) {
            if (errno == EINTR) continue;
            return 0; /* let the read report the error */
        }
        if (fds[0].revents != 0) return 0;
        drain_interrupt_pipe();
    }
}

int curate_terminal_size(int fd, int *rows, int *cols) {
    struct winsize size;
    if (ioctl(fd, TIOCGWINSZ, &size) != 0 || size.ws_col == 0) return -1;
    *rows = size.ws_row;
    *cols = size.ws_col;
    return 0;
}

int curate_sleep_interruptible(int milliseconds) {
    struct pollfd descriptor = {interrupt_pipe[0], POLLIN, 0};
    if (interrupt_pending) return -1;
    int count = poll(&descriptor, interrupt_pipe[0] >= 0 ? 1 : 0, milliseconds);
    if (interrupt_pending) return -1;
    (void)count;
    return 0;
}
