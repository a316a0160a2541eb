/**
 * Test support: a healthy pipeline of two real python3 processes, the
 * reader asleep reading a pipe whose only write end the writer holds while it
 * sleeps in nanosleep: neither a deadlock nor a reader that will never see
 * EOF (the writer may write when it wakes). Used by tests only.
 */
import { asleepIn, PythonSituation } from './python-situation';

export const HEALTHY_PIPELINE = `
import os, time
r, w = os.pipe()
if os.fork() == 0:
    os.close(w)
    say("reader", os.getpid(), r)
    os.read(r, 1); os._exit(0)
os.close(r)
say("writer", os.getpid())
time.sleep(1000)
`;

export interface HealthyPipeline {
  situation: PythonSituation;
  reader: number;
  writer: number;
}

/**
 * Starts the pipeline and resolves once the kernel shows the reader asleep
 * in read and the writer in nanosleep. `started` receives the situation
 * before anything is awaited, so the caller's afterEach kills it even when a
 * wait fails.
 */
export async function startHealthyPipeline(started: (situation: PythonSituation) => void): Promise<HealthyPipeline> {
  const situation = new PythonSituation(HEALTHY_PIPELINE);
  started(situation);
  const [reader] = await situation.numbers('reader');
  const [writer] = await situation.numbers('writer');
  await asleepIn(reader!, 'anon_pipe_read');
  await asleepIn(writer!, 'hrtimer_nanosleep');
  return { situation, reader: reader!, writer: writer! };
}
