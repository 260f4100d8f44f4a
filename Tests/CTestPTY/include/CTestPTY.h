// CTestPTY — process helpers for curate's integration tests: spawn a child on
// a pseudo-terminal (forkpty) or on plain pipes, with a clean signal state and
// no inherited file descriptors beyond 0, 1 and 2.
#ifndef CTESTPTY_H
#define CTESTPTY_H

#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Starts `path` (argv, envp: NULL-terminated) on a new pseudo-terminal of
/// `rows` x `cols`, as a session leader with the terminal as its controlling
/// tty. Stores the master side in *master_fd (close-on-exec) and returns the
/// child's pid, or -1 with errno set.
int curate_pty_spawn(const char *path, char *const argv[], char *const envp[],
                     int rows, int cols, int *master_fd);

/// Sets the window size of the terminal behind `fd` (the master side); the
/// child gets SIGWINCH. Returns 0, or -1 with errno set.
int curate_pty_resize(int fd, int rows, int cols);

/// Starts `path` with stdin/stdout/stderr on the given descriptors (out_fd and
/// err_fd may be the same descriptor, giving one interleaved stream). Every
/// other descriptor is closed in the child. Returns the pid, or -1 with errno.
/// If exec fails the child exits with status 127.
int curate_spawn(const char *path, char *const argv[], char *const envp[],
                 int in_fd, int out_fd, int err_fd);

/// pipe2(fds, O_CLOEXEC): both ends close-on-exec, so that no other child
/// started meanwhile inherits them. Returns 0, or -1 with errno set.
int curate_pipe_cloexec(int fds[2]);

#ifdef __cplusplus
}
#endif

#endif
