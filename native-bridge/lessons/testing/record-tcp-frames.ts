/**
 * Records real frames of the echo-logger lesson for the TCP picture's tests
 * (renderer/fixtures/real-frames-tcp.json). Run:
 *   npx tsx native-bridge/lessons/testing/record-tcp-frames.ts
 */
import { resolve } from 'node:path';
import { recordLessonFrames } from './record-lesson-frames';

await recordLessonFrames({
  lesson: 'echo-logger',
  /* pending: both connects done, nobody accepted; echoed: child1 sent the echo, client1 has not read it;
     queued: client2 sent before child2 reads; clientGone: client1 closed and exited, child1 not yet reading 0 */
  steps: 39,
  moments: { pending: 'step14-settled', echoed: 'step25-settled', queued: 'step30-settled', clientGone: 'step38-settled' },
  out: resolve(import.meta.dirname, '../../../renderer/fixtures/real-frames-tcp.json'),
});
