#ifndef CCURATE_SUPPORT_H
#define CCURATE_SUPPORT_H

/* Signal and terminal helpers that CurateKit needs: libpq only, no libedit (a plugin package
   builds against CurateKit with libpq alone). The line editor's wrappers are CCurateLineEdit. */

#include <libpq-fe.h>
#include <stdio.h>

/* ---- Cancellation (psql's model: the SIGINT handler calls PQcancel; no Swift runs in signal context) ---- */

/* Installs the SIGINT handler (without SA_RESTART, so a blocked read returns EINTR). */
void curate_install_interrupt_handler(void);
/* The connection whose running query Ctrl-C cancels (NULL: none). Set once per connection. */
void curate_set_cancel_target(PGconn *conn);
/* 1 when `conn` is the current cancel target. */
int curate_cancel_target_is(PGconn *conn);
/* Marks whether a query is running on the cancel target; Ctrl-C sends a cancel only then. */
void curate_set_query_running(int running);
/* Returns 1 when Ctrl-C was pressed since the last call, and clears the flag. */
int curate_take_interrupt(void);
/* Peeks at the flag without clearing it. */
int curate_interrupt_pending(void);

/* Waits until `fd` is readable; -1 when Ctrl-C was pressed first. */
int curate_wait_readable(int fd);

/* Sleeps `milliseconds` unless Ctrl-C comes first: returns -1 then, else 0. */
int curate_sleep_interruptible(int milliseconds);

/* The terminal's size on `fd`; 0 on success. */
int curate_terminal_size(int fd, int *rows, int *cols);

/* ---- Thread priority (thread_priority.c) ---- */

/* The calling thread's id (gettid). */
int curate_thread_id(void);
/* Sets the nice value of thread `thread` (Linux: per thread); 0 on success, else errno. */
int curate_set_thread_nice(int thread, int nice);
/* The nice value of thread `thread`; 0 when it cannot be read. */
int curate_thread_nice(int thread);

/* ---- Build information (build_info.c) ---- */

/* The VERSION file's text as it was when curate was compiled (with its newline). */
const char *curate_build_version(void);
/* The commit scripts/package recorded in .curate-commit ("" for a plain build). */
const char *curate_build_commit(void);

#endif
