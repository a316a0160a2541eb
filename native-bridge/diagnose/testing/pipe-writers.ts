/**
 * A python3 program that puts traffic on neighbouring boxes of the whole
 * machine's map: four siblings writer1..writer4 (each its own comm, so each
 * its own box, side by side) write 40, 80, 120, 160 bytes every 20 ms to a
 * pipe their parent reads, and the parent writes to one pipe more. It calls
 * say(...) (PythonSituation gives it) with each writer's PID and the
 * parent's. Used by tests and fixture recorders only.
 */
export const PIPE_WRITERS = `
import os, select, time
ends = []
for i in range(1, 5):
    r, w = os.pipe()
    if os.fork() == 0:
        os.close(r)
        with open("/proc/self/comm", "w") as comm: comm.write("writer%d" % i)
        say("writer", os.getpid())
        while True:
            os.write(w, b"x" * (40 * i)); time.sleep(0.02)
    os.close(w)
    ends.append(r)
out_r, out_w = os.pipe()
say("parent", os.getpid())
while True:
    ready, _, _ = select.select(ends, [], [], 0.05)
    for r in ready: os.read(r, 4096)
    os.write(out_w, b"y" * 16); os.read(out_r, 16)
`;

/** PIPE_WRITERS as a program of its own, saying nothing. */
export const PIPE_WRITERS_QUIET = `def say(*words): pass\n${PIPE_WRITERS}`;
