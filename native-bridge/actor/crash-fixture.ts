/**
 * Test fixture for actor-host.test.ts: an "engine" that starts a parent and a
 * child actor (the child asleep in read), prints their pids, then dies with
 * process.exit(3) without disposing anything. Its 'exit' handler must still
 * kill and reap every actor.
 */
import { ActorTeam } from './actor-host';

const team = await ActorTeam.start();
const parent = await team.spawn('parent');
const piped = await parent.call('pipe2');
const fds = piped.data?.fds;
if (!Array.isArray(fds)) process.exit(2);
const { child } = await parent.spawnChild('child');
const read = child.call('read', { fd: fds[0]!, count: 64 });
await child.watchBlocked('read', { fd: fds[0]! }, read);
process.stdout.write(`${JSON.stringify({ pids: team.pids(), inode: piped.data?.inode })}\n`);
process.exit(3);
