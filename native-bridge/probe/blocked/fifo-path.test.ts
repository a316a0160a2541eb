import { execFileSync } from 'node:child_process';
import { closeSync, constants, mkdirSync, openSync, readlinkSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { PipeObject } from '../../model/snapshot-types';
import { CWorkspace, ccMissingReason, lineOf, pollFor, sleepingIn } from '../testing/c-program-test-support';
import { takeSnapshot } from '../sampler';

/* A reader that opens a FIFO by the path it is given, then sleeps in read() on it. */
const FIFO_READER = `
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>
int main(int argc, char **argv) {
  int fd = open(argv[1], O_RDONLY);
  printf("open %d\\n", fd); fflush(stdout);
  char c; read(fd, &c, 1);
  pause();
}`;

const skip = ccMissingReason();

describe.skipIf(skip !== null)('FIFO paths are canonical', () => {
  let ws: CWorkspace | null = null;
  afterEach(async () => {
    await ws?.remove();
    ws = null;
  });

  it('names a FIFO opened as ./name, sub/../name or //name by the path the kernel shows once it is open', async () => {
    ws = new CWorkspace();
    const bin = ws.compile('fifo-reader', FIFO_READER);
    mkdirSync(join(ws.dir, 'sub'));
    const fifo = join(ws.dir, 'f');
    execFileSync('mkfifo', [fifo]);
    const inode = statSync(fifo).ino;
    for (const written of ['./f', 'sub/../f', `${ws.dir}//sub/..//./f`]) {
      const reader = ws.run(bin, [written]);
      await sleepingIn(reader.pid, [257, 2], 'wait_for_partner');
      const waiting = takeSnapshot({ pids: [reader.pid] });
      const blocked = waiting.processes.find((p) => p.pid === reader.pid)!.blocked;
      expect(blocked?.object).toBe(`fifo:${inode}`);
      const whileOpening = waiting.objects.find((o): o is PipeObject => o.id === `fifo:${inode}`);
      expect(whileOpening?.path).toBe(fifo);

      // a writer releases the open; the reader then holds the FIFO and sleeps in read()
      const writer = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
      try {
        const fd = Number((await lineOf(reader, 'open ')).slice(5));
        await sleepingIn(reader.pid, [0], 'anon_pipe_read');
        const kernelPath = readlinkSync(`/proc/${reader.pid}/fd/${fd}`);
        const open = await pollFor('the FIFO held', () =>
          takeSnapshot({ pids: [reader.pid] }).objects.find((o): o is PipeObject => o.id === `fifo:${inode}` && o.holders.length > 0),
        );
        expect(open.path).toBe(kernelPath);
        expect(whileOpening?.path).toBe(kernelPath);
      } finally {
        closeSync(writer);
      }
      reader.process.kill('SIGKILL');
    }
  });
});
