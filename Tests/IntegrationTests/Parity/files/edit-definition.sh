#!/bin/sh
# The editor of the describe-edit parity case: says how it was called (on stderr, the temporary
# file's name left out), then edits the file as EDIT_MODE says: unchanged, fail, or change it.
for argument in "$@"; do
    case "$argument" in
        /*) echo "editor: a file" >&2 ;;
        *) echo "editor: argument $argument" >&2 ;;
    esac
done
for file in "$@"; do :; done
case "$EDIT_MODE" in
    keep) ;;
    fail) exit 3 ;;
    *)
        sed -i 's/a + b/a + b + 100/; s/id > 0/id > 5/' "$file"
        printf '%s\n' ";" "select 'edited' as note;" "select 'left in the buffer'" >> "$file"
        ;;
esac
