/* Per-thread scheduling priority: on Linux the nice value belongs to a thread, and
   setpriority(PRIO_PROCESS, tid) changes that thread alone. */
#define _GNU_SOURCE
#include <errno.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "CCurateSupport.h"

int curate_thread_id(void) { return (int)syscall(SYS_gettid); }

int curate_set_thread_nice(int thread, int nice) {
    return setpriority(PRIO_PROCESS, (id_t)thread, nice) == 0 ? 0 : errno;
}

int curate_thread_nice(int thread) {
    errno = 0;
    int value = getpriority(PRIO_PROCESS, (id_t)thread);
    return errno == 0 ? value : 0;
}
