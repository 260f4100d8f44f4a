#ifndef CCURATE_LINE_EDIT_H
#define CCURATE_LINE_EDIT_H

/* The shell's line editor: libedit, used by CurateShell only. */

#include <histedit.h>
#include <stdio.h>

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
