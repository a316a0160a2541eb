/**
 * A Unix listener whose backlog is full: listen(1), never accept(), a client
 * connects three times; the kernel queues two (unix_recvq_full: pending >
 * backlog) and puts the third connect() to sleep in unix_wait_for_peer.
 * Absent with room in the backlog.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { asleepIn, diagnosesOf, pollFor, python3MissingReason, PythonSituation } from './testing/python-situation';
import { backlogListener } from './testing/backlog-listener';
import { killedAfterEach } from './testing/killed-after-each';

const skip = python3MissingReason();
const { situations } = killedAfterEach();

/* listen(1), never accept(); three clients forked while the listener is open (they inherit it), each connect()s once: two queue, one sleeps */
const inheritedListener = `
import os, socket, time
name = "\\0ipcscope-diagnose-test-%d" % os.getpid()
l = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
l.bind(name)
l.listen(1)
say("listener", os.getpid())
for i in range(3):
    if os.fork() == 0:
        c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        say("client", i, os.getpid())
        c.connect(name)
        say("connected", i)
        time.sleep(1000)
        os._exit(0)
time.sleep(1000)
`;

function wchanOf(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/wchan`, 'latin1');
  } catch {
    return undefined;
  }
}

describe.skipIf(skip !== null)('backlog-full', () => {
  it('names the listener with more pending connections than its backlog, and the client asleep in connect()', async () => {
    const s = new PythonSituation(backlogListener(1, 3));
    situations.push(s);
    const [listenerPid] = await s.numbers('listener');
    const [client] = await s.numbers('client');
    await asleepIn(client!, 'unix_wait_for_peer');
    await s.numbers('connected 1');

    const snapshot = s.snapshot();
    const found = diagnosesOf(snapshot, 'backlog-full');
    expect(found).toHaveLength(1);
    const listening = snapshot.objects.find((o) => o.id === found[0]!.objects[0]);
    expect(listening).toMatchObject({ kind: 'unix', state: 'LISTEN', pending: 2, backlog: 1 });
    expect(found[0]!.processes).toEqual([listenerPid, client]);
    expect(found[0]!.evidence[0]).toMatch(/^unix:\d+ \(@ipcscope-backlog-test-\d+\) has 2 connection\(s\) waiting for accept\(\), more than its backlog of 1$/);
    expect(found[0]!.evidence).toContain(`pid ${client} (python3) is asleep in connect(${snapshot.processes.find((p) => p.pid === client)!.blocked!.fd}), wchan unix_wait_for_peer, on ${listening!.id}`);
  });

  it('clients forked with the listener still open: only the server is its holder, the client in connect() is named once, queued clients are not involved', async () => {
    const s = new PythonSituation(inheritedListener);
    situations.push(s);
    const [server] = await s.numbers('listener');
    const clients = await Promise.all([0, 1, 2].map(async (i) => (await s.numbers(`client ${i}`))[1]!));
    await pollFor('two clients connected', () => (s.lines.filter((l) => l.startsWith('connected')).length === 2 ? true : undefined));
    const blocked = await pollFor('a client asleep in connect()', () => clients.find((pid) => wchanOf(pid) === 'unix_wait_for_peer'));
    const queued = clients.filter((pid) => pid !== blocked);
    for (const pid of queued) await asleepIn(pid, 'hrtimer_nanosleep');
    await asleepIn(server!, 'hrtimer_nanosleep');

    const snapshot = s.snapshot();
    const listening = snapshot.objects.find((o) => o.kind === 'unix' && o.state === 'LISTEN')!;
    /* the kernel's view: every client holds the listener too */
    expect(listening.holders.map((h) => h.pid).sort()).toEqual([server!, ...clients].sort());
    const found = diagnosesOf(snapshot, 'backlog-full');
    expect(found).toHaveLength(1);
    expect(found[0]!.processes).toEqual([server, blocked]);
    expect(found[0]!.facts.map((f) => [f.fact, 'process' in f ? f.process.pid : null])).toEqual([
      ['backlog-over', null],
      ['listener-holder', server],
      ['connecting', blocked],
    ]);
    expect(found[0]!.evidence[1]).toBe(`pid ${server} (python3) holds the listener and is asleep in clock_nanosleep(), wchan hrtimer_nanosleep`);
  });

  it('finds none while the backlog has room', async () => {
    const s = new PythonSituation(backlogListener(5, 1));
    situations.push(s);
    const [listenerPid] = await s.numbers('listener');
    await s.numbers('connected 0');
    const [client] = await s.numbers('client');
    await asleepIn(client!, 'hrtimer_nanosleep');
    await asleepIn(listenerPid!, 'hrtimer_nanosleep');
    const snapshot = s.snapshot();
    expect(snapshot.objects.some((o) => o.kind === 'unix' && o.pending === 1 && o.backlog === 5)).toBe(true);
    expect(snapshot.diagnoses).toEqual([]);
  });
});
