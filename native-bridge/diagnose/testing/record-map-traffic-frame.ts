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
import { PIPE_WRITERS } from './pipe-writers';
import { pollFor, PythonSituation } from './python-situation';

const s = new PythonSituation(PIPE_WRITERS);
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
