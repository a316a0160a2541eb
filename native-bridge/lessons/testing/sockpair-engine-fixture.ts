/**
 * Test fixture for stream-vs-datagram.test.ts: an engine that runs the lesson
 * until the three datagrams are queued, prints the pids and the socket inodes
 * the child holds, and waits to be SIGKILLed (no handler of its runs).
 */
import { readdirSync, readlinkSync } from 'node:fs';
import { LessonRunner } from '../../session/lesson-runner';
import { streamVsDatagram } from '../sockets/stream-vs-datagram';

const runner = await LessonRunner.start(streamVsDatagram, { onEvent: () => undefined });
for (let i = 0; i < 13; i += 1) await runner.step();
const child = runner.view(false, 1).roles.child!;
const targets = readdirSync(`/proc/${child}/fd`)
  .map((fd) => readlinkSync(`/proc/${child}/fd/${fd}`))
  .filter((link) => link.startsWith('socket:'));
process.stdout.write(`${JSON.stringify({ pids: runner.pids(), targets })}\n`);
setInterval(() => undefined, 60_000);
