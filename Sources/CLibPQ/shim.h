#include <libpq-fe.h>

/* Exported by libpq, declared only in the server's pg_wchar.h: an encoding's number by name
   (for PQmblen/PQdsplen). */
extern int pg_char_to_encoding(const char *name);
