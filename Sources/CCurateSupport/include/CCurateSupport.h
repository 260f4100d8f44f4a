#ifndef CCURATE_SUPPORT_H
#define CCURATE_SUPPORT_H

#include <libpq-fe.h>
#include <histedit.h>
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

/* ---- libedit: one non-variadic wrapper per operation ---- */

/* An editor on the standard streams (Swift cannot touch the C stdio globals safely). */
EditLine *curate_el_init(const char *program);
void curate_el_end(EditLine *el);
/* Sets the prompt text (copied). */
void curate_el_set_prompt(EditLine *el, const char *prompt);
void curate_el_set_editor(EditLine *el, const char *mode);
void curate_el_set_signal(EditLine *el, int on);
void curate_el_set_clientdata(EditLine *el, void *data);
void *curate_el_get_clientdata(EditLine *el);
int curate_el_add_function(EditLine *el, const char *name, const char *help,
                           unsigned char (*fn)(EditLine *, int));
int curate_el_bind(EditLine *el, const char *key, const char *function);
int curate_el_source(EditLine *el);
void curate_el_set_history(EditLine *el, History *h);
/* Current line and cursor offset (bytes). */
const char *curate_el_line(EditLine *el, int *cursor, int *length);
int curate_el_insert(EditLine *el, const char *text);
void curate_el_delete_before_cursor(EditLine *el, int count);
void curate_el_reset(EditLine *el);

History *curate_history_init(int size);
void curate_history_end(History *h);
int curate_history_enter(History *h, const char *line);
int curate_history_load(History *h, const char *file);
int curate_history_save(History *h, const char *file);

#endif
