/**
 * Records renderer/fixtures/real-objects-tcp-accept-queue.json: the TCP
 * objects the probe reports for a listener (backlog 8) that never accepts
 * and two clients connected to it, whose server sides wait in its accept
 * queue. Run by hand when the object format changes:
 *   node --import tsx native-bridge/probe/kinds/sockets/testing/capture-accept-queue.ts
 */
import { writeFileSync } from 'node:fs';
import { native } from '../../../../libc/libc';
import { AF_INET, SOCK_STREAM, bindTo, connectTo, inet4Address, listenOn, localPort, openSocket, socketInode } from '../../../../libc/sockets';
import type { InetSocketObject } from '../../../../model/snapshot-types';
import { contextFor } from '../../../testing/socket-test-context';
import { inetSocketProbe } from '../inet-sockets';

const listener = openSocket(AF_INET, SOCK_STREAM);
bindTo(listener, inet4Address('127.0.0.1', 0));
listenOn(listener, 8);
const port = localPort(listener);
const clients = [0, 1].map(() => {
  const fd = openSocket(AF_INET, SOCK_STREAM);
  if (connectTo(fd, inet4Address('127.0.0.1', port)) !== 0) throw new Error('connect failed');
  return fd;
});
const wanted = new Set([listener, ...clients].map((fd) => `tcp:${socketInode(fd)}`));
const objects = inetSocketProbe
  .collect(contextFor([process.pid], false))
  .objects.filter((o) => wanted.has(o.id)) as InetSocketObject[];
const listenerId = `tcp:${socketInode(listener)}`;
for (const fd of [listener, ...clients]) native.close(fd);
writeFileSync(new URL('../../../../../renderer/fixtures/real-objects-tcp-accept-queue.json', import.meta.url), `${JSON.stringify({ listener: listenerId, objects }, null, 1)}\n`);
process.stdout.write(`${JSON.stringify(objects.map((o) => [o.id, o.state, o.peer, o.acceptQueue, o.peerInAcceptQueue]))}\n`);
