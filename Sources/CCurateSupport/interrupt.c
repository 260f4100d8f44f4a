#include "CCurateSupport.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <errno.h>

/* Written by the main thread, read by the signal handler: a pointer swap is atomic on our targets. */
static PGcancel *volatile cancel_target = NULL;
static volatile sig_atomic_t interrupt_pending = 0;
static volatile sig_atomic_t query_running = 0;

static void handle_sigint(int signo) {
    (void)signo;
    int saved_errno = errno;
    interrupt_pending = 1;
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
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = handle_sigint;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;
    sigaction(SIGINT, &sa, NULL);
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

int curate_take_interrupt(void) {
    int was = interrupt_pending;
    interrupt_pending = 0;
    return was;
}

int curate_interrupt_pending(void) { return interrupt_pending; }
