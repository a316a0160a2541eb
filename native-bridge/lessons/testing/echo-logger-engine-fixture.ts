/**
 * Test fixture for echo-logger.test.ts: an engine that runs the echo-logger
 * lesson until child1 serves its connection, client2's connection waits in
 * the listener's queue and the logger sleeps on the pipe, prints the
 * lesson's directory, pids and port, and waits to be SIGKILLed.
 */
import { echoLogger } from '../sockets/echo-logger';
import { LessonRunner } from '../../session/lesson-runner';

const runner = await LessonRunner.start(echoLogger, { onEvent: () => undefined });
/* up to child1 closing its copy of the listener (steps 0..18): accept1 done, client2 pending */
for (let i = 0; i < 19; i += 1) await runner.step();
/* getsockname's result as the code pane shows it: "= 0, addr = 127.0.0.1:PORT" */
const port = Number(/:(\d+)$/.exec(runner.view(false, 1).steps[2]?.result ?? '')?.[1] ?? 0);
process.stdout.write(`${JSON.stringify({ dir: runner.dir, pids: runner.pids(), watchdog: runner.dirWatchdogPid, port })}\n`);
setInterval(() => undefined, 60_000);
