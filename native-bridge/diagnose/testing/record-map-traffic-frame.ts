/**
 * Records renderer/fixtures/real-frame-all-traffic.json: one frame of the
 * whole machine observed as `ipcscope web --all` observes it, with the
 * traffic between its last two samples (/proc/PID/io). Besides whatever the
 * machine is doing, four python3 siblings (writer1..writer4, each its own
 * comm, so each its own box on the map, side by side) write to pipes their
 * parent reads, and the parent writes to one more: neighbouring boxes all
 * carry traffic labels (the map's label placement is tested on it).
 * Run by hand when the frame format changes:
 *   node --import tsx native-bridge/diagnose/testing/record-map-traffic-frame.ts
 */
import { writeFileSync } from 'node:fs';
import type { Frame } from '../../model/frame-types';
import { Observation } from '../../session/observation';
import { pollFor, PythonSituation } from './python-situation';

const WRITERS = `
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

const s = new PythonSituation(WRITERS);
try {
  const writers = await s.numbers('writer');
  await pollFor('four writers', () => (s.lines.filter((l) => l.startsWith('writer')).length >= 4 ? true : undefined));
  const observation = Observation.open({ all: true });
  try {
    observation.sample();
    let frame: Frame | null = null;
    for (let tries = 0; !frame; tries += 1) {
      if (tries > 20) throw new Error('no sample caught every writer moving bytes');
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const snapshot = observation.sample();
      const moved = observation.traffic;
      const all = s.lines.filter((l) => l.startsWith('writer')).map((l) => Number(l.split(' ')[1]));
      if (all.every((pid) => moved.some((e) => e.pid === pid && e.bytes > 0))) {
        frame = { ...snapshot, seq: 2, rateHz: 1, events: [], lesson: null, observing: observation.view(), traffic: moved };
      }
    }
    writeFileSync(new URL('../../../renderer/fixtures/real-frame-all-traffic.json', import.meta.url), `${JSON.stringify(frame)}\n`);
    process.stdout.write(`${frame.processes.length} processes, ${frame.objects.length} objects, ${frame.traffic!.length} traffic entries (writers ${writers.join(' ')})\n`);
  } finally {
    observation.close();
  }
} finally {
  await s.kill();
}
