/**
 * Test support: python3 situations where a pipe's only other end is in
 * flight in a socket's queue (sent with SCM_RIGHTS, then closed by the
 * sender): the kernel counts it open, yet no process holds it. SIGUSR1 to the
 * sender closes the socket, and the end with it.
 */

/** The child keeps `keeps` of the pipe and runs `then` (indented for the child's block); the sender sends the other end and closes it. */
function inFlightSituation(child: { name: string; keeps: 'r' | 'w'; then: string }): string {
  const sent = child.keeps === 'r' ? 'w' : 'r';
  return `
import os, socket, signal, time
signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGUSR1])
r, w = os.pipe()
a, b = socket.socketpair()
if os.fork() == 0:
    os.close(${sent}); a.close(); b.close()
    say("${child.name}", os.getpid(), ${child.keeps})
${child.then}
    time.sleep(1000); os._exit(0)
os.close(${child.keeps})
socket.send_fds(a, [b"${sent}"], [${sent}])
os.close(${sent})
say("sender", os.getpid())
signal.sigwait([signal.SIGUSR1])
a.close(); b.close()
time.sleep(1000)
`;
}

/**
 * A reader asleep in read() on a pipe whose only write end is in flight.
 * Once the socket closes the reader sees EOF, prints `eof 0` and sleeps.
 * Prints `reader PID FD` and `sender PID`.
 */
export const HIDDEN_WRITER_SITUATION = inFlightSituation({
  name: 'reader',
  keeps: 'r',
  then: `    got = os.read(r, 1)
    say("eof", len(got))`,
});

/**
 * The same for a writer: it fills the pipe and sleeps in write() while the
 * only read end is in flight. Once the socket closes the writer gets EPIPE
 * (python ignores SIGPIPE), prints `epipe 1` and sleeps. Prints
 * `writer PID FD` and `sender PID`.
 */
export const HIDDEN_READER_SITUATION = inFlightSituation({
  name: 'writer',
  keeps: 'w',
  then: `    try:
        while True: os.write(w, b"x" * 4096)
    except BrokenPipeError:
        say("epipe", 1)`,
});
