/**
 * Test support: a python3 Unix listener that never accept()s, and a client
 * it forks that connects `connects` times, keeping every socket. With more
 * connects than `backlog` + 1 the kernel queues backlog + 1 of them
 * (unix_recvq_full: pending > backlog) and the next connect() sleeps in
 * unix_wait_for_peer. Prints `client PID`, `connected I` after each connect
 * and `listener PID FD`. Used by tests only.
 */
export const backlogListener = (backlog: number, connects: number): string => `
import os, socket, time
name = "\\0ipcscope-backlog-test-%d" % os.getpid()
l = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
l.bind(name)
l.listen(${backlog})
if os.fork() == 0:
    l.close()
    clients = []
    say("client", os.getpid())
    for i in range(${connects}):
        c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        c.connect(name)
        clients.append(c)
        say("connected", i)
    time.sleep(1000)
    os._exit(0)
say("listener", os.getpid(), l.fileno())
time.sleep(1000)
`;
