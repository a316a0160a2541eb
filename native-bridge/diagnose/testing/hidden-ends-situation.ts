/**
 * Test support: a python3 reader asleep in read() on a pipe whose only write
 * end is in flight in a socket's queue (sent with SCM_RIGHTS, then closed by
 * the sender): the kernel counts it open, yet no process holds it. SIGUSR1
 * to the sender closes the socket; the reader then sees EOF, prints
 * `eof 0` and sleeps. Prints `reader PID FD` and `sender PID`.
 */
export const HIDDEN_WRITER_SITUATION = `
import os, socket, signal, time
signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGUSR1])
r, w = os.pipe()
a, b = socket.socketpair()
if os.fork() == 0:
    os.close(w); a.close(); b.close()
    say("reader", os.getpid(), r)
    got = os.read(r, 1)
    say("eof", len(got))
    time.sleep(1000); os._exit(0)
os.close(r)
socket.send_fds(a, [b"w"], [w])
os.close(w)
say("sender", os.getpid())
signal.sigwait([signal.SIGUSR1])
a.close(); b.close()
time.sleep(1000)
`;

/**
 * The same for a writer: it fills the pipe and sleeps in write() while the
 * only read end is in flight in a socket's queue. SIGUSR1 to the sender
 * closes the socket; the writer then gets EPIPE (python ignores SIGPIPE),
 * prints `epipe 1` and sleeps. Prints `writer PID FD` and `sender PID`.
 */
export const HIDDEN_READER_SITUATION = `
import os, socket, signal, time
signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGUSR1])
r, w = os.pipe()
a, b = socket.socketpair()
if os.fork() == 0:
    os.close(r); a.close(); b.close()
    say("writer", os.getpid(), w)
    try:
        while True: os.write(w, b"x" * 4096)
    except BrokenPipeError:
        say("epipe", 1)
    time.sleep(1000); os._exit(0)
os.close(w)
socket.send_fds(a, [b"r"], [r])
os.close(r)
say("sender", os.getpid())
signal.sigwait([signal.SIGUSR1])
a.close(); b.close()
time.sleep(1000)
`;
