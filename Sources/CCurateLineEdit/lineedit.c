#include "CCurateLineEdit.h"
#include "CCurateSupport.h"

#include <errno.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

/* One prompt per process is enough: the shell has one editor. */
static char *prompt_text = NULL;

static char *prompt_function(EditLine *el) {
    (void)el;
    return prompt_text != NULL ? prompt_text : "";
}

/* libedit's character reader, replaced so that Ctrl-C ends el_gets even when the signal came
 * while libedit was busy rather than blocked in read(): returns -1 (errno EINTR) then. */
static int read_character(EditLine *el, wchar_t *out) {
    (void)el;
    mbstate_t state;
    memset(&state, 0, sizeof state);
    for (;;) {
        if (curate_wait_readable(STDIN_FILENO) < 0) {
            errno = EINTR;
            return -1;
        }
        char byte;
        ssize_t count = read(STDIN_FILENO, &byte, 1);
        if (count == 0) return 0;
        if (count < 0) {
            if (errno == EINTR || errno == EAGAIN) continue;
            return -1;
        }
        wchar_t character;
        size_t used = mbrtowc(&character, &byte, 1, &state);
        if (used == (size_t)-2) continue; /* more bytes of this character to come */
        if (used == (size_t)-1) {
            memset(&state, 0, sizeof state);
            character = (wchar_t)(unsigned char)byte;
        }
        *out = used == 0 ? L'\0' : character;
        return 1;
    }
}

EditLine *curate_el_init(const char *program) {
    /* libedit decodes multibyte input by the locale's character type. */
    setlocale(LC_CTYPE, "");
    EditLine *el = el_init(program, stdin, stdout, stderr);
    if (el != NULL) {
        el_set(el, EL_PROMPT, prompt_function);
        el_set(el, EL_GETCFN, read_character);
    }
    return el;
}

void curate_el_end(EditLine *el) { el_end(el); }

void curate_el_set_prompt(EditLine *el, const char *prompt) {
    (void)el;
    char *copy = strdup(prompt);
    if (copy == NULL) return;
    free(prompt_text);
    prompt_text = copy;
}

void curate_el_set_editor(EditLine *el, const char *mode) { el_set(el, EL_EDITOR, mode); }
void curate_el_set_signal(EditLine *el, int on) { el_set(el, EL_SIGNAL, on); }
void curate_el_set_clientdata(EditLine *el, void *data) { el_set(el, EL_CLIENTDATA, data); }

void *curate_el_get_clientdata(EditLine *el) {
    void *data = NULL;
    el_get(el, EL_CLIENTDATA, &data);
    return data;
}

int curate_el_add_function(EditLine *el, const char *name, const char *help,
                           unsigned char (*fn)(EditLine *, int)) {
    return el_set(el, EL_ADDFN, name, help, fn);
}

int curate_el_bind(EditLine *el, const char *key, const char *function) {
    return el_set(el, EL_BIND, key, function, NULL);
}

int curate_el_source(EditLine *el) { return el_source(el, NULL); }
void curate_el_set_history(EditLine *el, History *h) { el_set(el, EL_HIST, history, h); }

const char *curate_el_line(EditLine *el, int *cursor, int *length) {
    const LineInfo *li = el_line(el);
    *cursor = (int)(li->cursor - li->buffer);
    *length = (int)(li->lastchar - li->buffer);
    return li->buffer;
}

int curate_el_insert(EditLine *el, const char *text) { return el_insertstr(el, text); }
void curate_el_delete_before_cursor(EditLine *el, int count) { el_deletestr(el, count); }
void curate_el_reset(EditLine *el) { el_reset(el); }

History *curate_history_init(int size) {
    History *h = history_init();
    if (h == NULL) return NULL;
    HistEvent ev;
    history(h, &ev, H_SETSIZE, size);
    history(h, &ev, H_SETUNIQUE, 1);
    return h;
}

void curate_history_end(History *h) { history_end(h); }

int curate_history_enter(History *h, const char *line) {
    HistEvent ev;
    return history(h, &ev, H_ENTER, line);
}

int curate_history_load(History *h, const char *file) {
    HistEvent ev;
    return history(h, &ev, H_LOAD, file);
}

int curate_history_save(History *h, const char *file) {
    HistEvent ev;
    return history(h, &ev, H_SAVE, file);
}
