import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { native } from '../../../libc/libc';
import {
  AF_INET,
  MSG_DONTWAIT,
  MSG_NOSIGNAL,
  MSG_PEEK,
  SOCK_STREAM,
  SOL_SOCKET,
  SO_PEEK_OFF,
  getIntOption,
  recvBytes,
  sendBytes,
  setIntOption,
  acceptFrom,
  bindTo,
  connectTo,
  inet4Address,
  listenOn,
  localPort,
  makeSocketPair,
  openSocket,
  sock,
} from '../../../libc/sockets';
import { peekSocket } from './socket-peek';

const opened = new Set<number>();
const children: ChildProcess[] = [];

afterEach(async () => {
  for (const fd of opened) native.close(fd);
  opened.clear();
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    }
  }
});

function closeTracked(fd: number): void {
  native.close(fd);
  opened.delete(fd);
}

/*
 * The reader: a separate Node process that reads its stdin (the socket) 1 KiB
 * at a time with a 2 ms pause, until EOF, then prints "<bytes> <sha256>".
 * Slow on purpose, so bytes stay queued while we peek.
 */
const READER = `
const fs = require('fs'), hash = require('crypto').createHash('sha256');
const buf = Buffer.alloc(1024), pause = new Int32Array(new SharedArrayBuffer(4));
let total = 0;
for (;;) {
  let n;
  try { n = fs.readSync(0, buf, 0, buf.length, null); }
  catch (e) { if (e.code === 'EAGAIN') { Atomics.wait(pause, 0, 0, 1); continue; } throw e; }
  if (n === 0) break;
  hash.update(buf.subarray(0, n)); total += n;
  Atomics.wait(pause, 0, 0, 2);
}
process.stdout.write(total + ' ' + hash.digest('hex') + '\\n');
`;

interface Connection {
  /** The end this test writes to. */
  writer: number;
  /** The end the reader process gets as its stdin. */
  reader: number;
}

function unixPair(): Connection {
  const [writer, reader] = makeSocketPair('stream');
  opened.add(writer);
  opened.add(reader);
  return { writer, reader };
}

function tcpPair(): Connection {
  const listener = openSocket(AF_INET, SOCK_STREAM);
  opened.add(listener);
  bindTo(listener, inet4Address('127.0.0.1', 0));
  listenOn(listener, 1);
  const writer = openSocket(AF_INET, SOCK_STREAM);
  opened.add(writer);
  expect(connectTo(writer, inet4Address('127.0.0.1', localPort(listener)))).toBe(0);
  const reader = acceptFrom(listener);
  opened.add(reader);
  closeTracked(listener);
  return { writer, reader };
}

describe('peeking at a socket does not change what its owner sees', () => {
  it.each([
    ['unix stream socketpair', unixPair],
    ['TCP connection on 127.0.0.1', tcpPair],
  ] as const)('%s: peeks at 60/s and in bursts; the reader still gets every byte, then EOF', async (_name, connect) => {
    const data = randomBytes(768 * 1024);
    const { writer, reader } = connect();
    const child = spawn(process.execPath, ['-e', READER], { stdio: [reader, 'pipe', 'inherit'] });
    children.push(child);
    await new Promise((resolve) => child.once('spawn', resolve));
    /* only the reader process holds its end now */
    closeTracked(reader);
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

    let sent = 0;
    let peeks = 0;
    let peeksWithData = 0;
    let foreign = 0;
    let writerClosed = false;
    let unreachableBeforeClose = 0;
    const check = (bytes: Buffer | null): void => {
      peeks++;
      /* null = the reader could not be reached: fine only once it may have read EOF and exited */
      if (bytes === null) {
        if (!writerClosed) unreachableBeforeClose++;
        return;
      }
      if (bytes.length === 0) return;
      peeksWithData++;
      /* what we saw is a piece of what was sent: nothing invented, nothing reordered */
      if (data.indexOf(bytes) < 0) foreign++;
    };
    const writeTimer = setInterval(() => {
      while (sent < data.length) {
        const chunk = data.subarray(sent, Math.min(sent + 16384, data.length));
        const n = sock.send(writer, chunk, chunk.length, MSG_DONTWAIT | MSG_NOSIGNAL);
        if (n <= 0) return;
        sent += n;
      }
    }, 1);
    let tick = 0;
    const peekTimer = setInterval(() => {
      check(peekSocket(child.pid!, 0, 256));
      /* every 10th tick, the highest rate we can: 100 peeks back to back */
      if (++tick % 10 === 0) for (let i = 0; i < 100; i++) check(peekSocket(child.pid!, 0, 256));
    }, 1000 / 60);
    try {
      while (sent < data.length) await new Promise((resolve) => setTimeout(resolve, 10));
      clearInterval(writeTimer);
      /* the writer closes while bytes are still queued and peeks go on: the reader must still see EOF */
      closeTracked(writer);
      writerClosed = true;
      const code = await Promise.race([exited, new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 20_000))]);
      expect(code).toBe(0);
    } finally {
      clearInterval(writeTimer);
      clearInterval(peekTimer);
    }
    const [bytes, sha] = output.trim().split(' ');
    expect(Number(bytes)).toBe(data.length);
    expect(sha).toBe(createHash('sha256').update(data).digest('hex'));
    expect(foreign).toBe(0);
    expect(unreachableBeforeClose).toBe(0);
    expect(peeks).toBeGreaterThan(100);
    expect(peeksWithData).toBeGreaterThan(50);
  });

  it('refuses to peek when the owner enabled SO_PEEK_OFF (MSG_PEEK would move the owner\'s offset)', () => {
    const [a, b] = makeSocketPair('stream');
    opened.add(a);
    opened.add(b);
    sendBytes(a, Buffer.from('abcdef'));
    expect(peekSocket(process.pid, b, 3)!.toString()).toBe('abc');
    setIntOption(b, SOL_SOCKET, SO_PEEK_OFF, 0);
    expect(peekSocket(process.pid, b, 3)).toBeNull();
    /* the owner's own peek still starts at its offset 0: we did not move it */
    expect(recvBytes(b, 3, MSG_PEEK).toString()).toBe('abc');
    expect(getIntOption(b, SOL_SOCKET, SO_PEEK_OFF)).toBe(3);
  });

  it('gives null for a process that is gone and an empty buffer for an empty queue', () => {
    const [a, b] = makeSocketPair('stream');
    opened.add(a);
    opened.add(b);
    expect(peekSocket(process.pid, b, 256)!.length).toBe(0);
    expect(peekSocket(0x3fffffff, b, 256)).toBeNull();
  });
});
