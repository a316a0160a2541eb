import { describe, expect, it } from 'vitest';
import { translate } from '../i18n/strings';
import type { Frame } from '../../native-bridge/model/frame-types';
import machine from '../fixtures/real-snapshot-all.json';
import { FAN_MIN, fanKey, groupFrame, KERNEL_THREADS, KTHREADD_PID, WHOLE_MACHINE_FAN_MIN } from './map-group';
import { fanHoldings, fanLines } from './map-labels';
import { pipelinesFrame, poolFrame, withPair } from './testing/pool-frame';

const t = (key: Parameters<typeof translate>[1], values?: Record<string, string | number>) => translate('en', key, values);

describe('groupFrame', () => {
  it('folds 1000 workers of one parent, each with its own pipe, into one fan with their states counted', () => {
    const frame = poolFrame({ workers: 1000, running: 2, queued: 3 });
    const groups = groupFrame(frame, new Set());
    expect(groups.units.map((u) => u.key)).toEqual(['process:100', fanKey(100, 'worker')]);
    const fan = groups.units[1]!;
    if (fan.kind !== 'fan') throw new Error('expected a fan');
    expect(fan.counts).toMatchObject({ total: 1000, blockedTotal: 998, running: 2, holdingQueued: 3 });
    expect(fan.counts.blocked.read).toBe(998);
    expect(fan.objectKinds).toEqual({ pipe: 1000 });
    // Every worker's pipe went into the fan with it: nothing is left to draw on its own.
    expect(groups.objects).toHaveLength(0);
    expect(fan.memberObjects.get(1000)?.map((o) => o.id)).toEqual(['pipe:50000']);
    expect(fanLines(fan, t)).toEqual({ head: '1000 × worker', counts: '998 blocked in read, 2 running, 3 holding queued bytes' });
  });

  it('keeps fewer than FAN_MIN siblings as single processes, and a pipe between two roots loose', () => {
    const frame = withPair(poolFrame({ workers: FAN_MIN - 1 }), 7001, 7002, 99);
    const groups = groupFrame(frame, new Set());
    expect(groups.units.every((u) => u.kind === 'process')).toBe(true);
    expect(groups.units).toHaveLength(FAN_MIN + 2);
    expect(groups.objects.map((o) => o.id)).toContain('pipe:99');
  });

  it('keeps a known fan folded when the pool shrinks below FAN_MIN, until one member is left', () => {
    const key = fanKey(100, 'worker');
    expect(groupFrame(poolFrame({ workers: 3 }), new Set(), new Set([key])).units.some((u) => u.key === key)).toBe(true);
    expect(groupFrame(poolFrame({ workers: 1 }), new Set(), new Set([key])).units.some((u) => u.key === key)).toBe(false);
  });

  it('leaves an object in the open when someone outside the fan holds it', () => {
    const frame = poolFrame({ workers: 10 });
    frame.objects[0]!.holders.push({ pid: 4242, fd: 3, access: 'w' });
    frame.processes.push({ pid: 4242, ppid: 1, comm: 'spy', state: 'S', blocked: null, fds: [], readable: true });
    const groups = groupFrame(frame, new Set());
    expect(groups.objects.map((o) => o.id)).toEqual(['pipe:50000']);
    expect(groups.objectFan.has('pipe:50001')).toBe(true);
  });

  it('opens a fan only when asked', () => {
    const key = fanKey(100, 'worker');
    const fan = groupFrame(poolFrame({ workers: 20 }), new Set([key])).units.find((u) => u.key === key);
    expect(fan?.kind === 'fan' && fan.expanded).toBe(true);
  });

  it('folds 200 `sleep | cat` pipelines of one shell into two fans, the pipes with their readers, linked from the writers', () => {
    const groups = groupFrame(pipelinesFrame(200), new Set());
    expect(groups.objects).toHaveLength(0);
    const cat = groups.units.find((u) => u.key === fanKey(300, 'cat'));
    const sleep = groups.units.find((u) => u.key === fanKey(300, 'sleep'));
    if (cat?.kind !== 'fan' || sleep?.kind !== 'fan') throw new Error('expected two fans');
    expect(cat.objectKinds).toEqual({ pipe: 200 });
    expect(cat.counts.blocked.read).toBe(200);
    expect(sleep.counts.blocked.sleep).toBe(200);
    expect([...cat.linkedFrom]).toEqual([[fanKey(300, 'sleep'), 200]]);
    expect(sleep.objectKinds).toEqual({});
  });
});

describe('groupFrame on the whole machine', () => {
  /* `ipcscope snapshot --all --json --peek 0 --no-maps` of this machine: kthreadd's 60 kernel threads, init's 3 `memfd:sealed-91` */
  const frame = machine as unknown as Pick<Frame, 'processes' | 'objects'>;
  const kernelThreads = frame.processes.filter((p) => p.ppid === KTHREADD_PID);

  it('folds the kernel threads (children of kthreadd, whatever their names) into one fan, counted from the frame', () => {
    expect(new Set(kernelThreads.map((p) => p.comm)).size).toBeGreaterThan(1);
    const groups = groupFrame(frame, new Set(), new Set(), WHOLE_MACHINE_FAN_MIN);
    const fan = groups.units.find((u) => u.key === fanKey(KTHREADD_PID, KERNEL_THREADS));
    if (fan?.kind !== 'fan') throw new Error('expected a fan of kernel threads');
    expect(fan.members.map((p) => p.pid)).toEqual(kernelThreads.map((p) => p.pid).sort((a, b) => a - b));
    const { total, blockedTotal, running, other } = fan.counts;
    expect(total).toBe(kernelThreads.length);
    expect(blockedTotal + running + other).toBe(total);
    expect(fanLines(fan, t).head).toBe(`${kernelThreads.length} kernel threads (children of kthreadd)`);
    expect(translate('zh-Hans', 'mapFanKernelThreads', { count: 60 })).toBe('60 个内核线程（kthreadd 的子进程）');
    expect(translate('zh-Hant', 'mapFanKernelThreads', { count: 60 })).toBe('60 個核心執行緒（kthreadd 的子行程）');
  });

  it('folds 3 or more siblings with one command into a fan, with or without pipes of their own; a PID scope keeps FAN_MIN', () => {
    const trios = new Map<string, number>();
    for (const p of frame.processes) if (p.ppid !== KTHREADD_PID) trios.set(fanKey(p.ppid, p.comm), (trios.get(fanKey(p.ppid, p.comm)) ?? 0) + 1);
    const repeated = [...trios].filter(([, n]) => n >= WHOLE_MACHINE_FAN_MIN && n < FAN_MIN).map(([key]) => key);
    expect(repeated.length).toBeGreaterThan(0);
    const all = groupFrame(frame, new Set(), new Set(), WHOLE_MACHINE_FAN_MIN);
    for (const key of repeated) expect(all.units.find((u) => u.key === key)?.kind).toBe('fan');
    // fewer units than processes by everything folded, and nothing lost
    const members = all.units.reduce((n, u) => n + (u.kind === 'fan' ? u.members.length : 1), 0);
    expect(members).toBe(frame.processes.length);
    expect(all.units.length).toBeLessThan(frame.processes.length - kernelThreads.length + 2);
    // their write ends are on pipes shared with processes outside the fan (the sandbox's harness): not a sibling's trap
    for (const key of repeated) {
      const fan = all.units.find((u) => u.key === key);
      if (fan?.kind !== 'fan') throw new Error('expected a fan');
      expect(fanHoldings(fan, t)?.trap ?? false).toBe(false);
    }
    const scoped = groupFrame(frame, new Set());
    for (const key of repeated) expect(scoped.units.some((u) => u.key === key)).toBe(false);
  });
});
