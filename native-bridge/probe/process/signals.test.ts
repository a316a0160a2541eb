import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { decodeSignalMask, readSignals, signalName } from './signals';

describe('decodeSignalMask', () => {
  it('maps bit n-1 to signal n', () => {
    expect(decodeSignalMask('0000000000000000')).toEqual([]);
    expect(decodeSignalMask('0000000000000200')).toEqual(['SIGUSR1']);
    expect(decodeSignalMask('0000000000004003')).toEqual(['SIGHUP', 'SIGINT', 'SIGTERM']);
    expect(decodeSignalMask('00000001c0000000')).toEqual(['SIGSYS', 'SIG32', 'SIG33']);
    expect(decodeSignalMask('8000000200000000')).toEqual(['SIGRTMIN', 'SIGRTMIN+30']);
    expect(signalName(35)).toBe('SIGRTMIN+1');
  });
});

describe('readSignals', () => {
  it('decodes a child with SIGUSR1 blocked and pending, and SIGTERM ignored', async () => {
    /* perl is single-threaded, so the process-wide signal stays pending on its one (blocking) thread */
    const child = spawn(
      'perl',
      ['-MPOSIX', '-e', '$|=1; $SIG{TERM}="IGNORE"; sigprocmask(SIG_BLOCK, POSIX::SigSet->new(SIGUSR1)); print "ready\\n"; sleep 60'],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
        child.on('exit', () => reject(new Error('perl exited')));
      });
      let sigs = readSignals(child.pid!)!;
      expect(sigs.blocked).toEqual(['SIGUSR1']);
      expect(sigs.ignored).toContain('SIGTERM');
      expect(sigs.sharedPending).toEqual([]);

      process.kill(child.pid!, 'SIGUSR1');
      sigs = readSignals(child.pid!)!;
      /* kill() is process-directed: ShdPnd, not the thread's SigPnd */
      expect(sigs.sharedPending).toEqual(['SIGUSR1']);
      expect(sigs.pending).toEqual([]);
      expect(sigs.blocked).toEqual(['SIGUSR1']);
    } finally {
      await new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      });
    }
  });

  it('returns null for a process that is gone', () => {
    expect(readSignals(0x3fffffff)).toBeNull();
  });
});
