/**
 * Test fixture for actor-host.test.ts: an "engine" that starts a parent and a
 * child actor (the child asleep in read), prints their pids, then dies without
 * disposing anything: with process.exit(3) (its 'exit' handler must still kill
 * and reap every actor), or with argument SIGKILL by SIGKILL, where no handler
 * runs. In that case the child keeps the pipe's write end itself, so its read
 * would never return: only dying with its parent ends it.
 */
import { ActorTeam } from './actor-host';

const team = await ActorTeam.start();
const parent = await team.spawn('parent');
const piped = await parent.call('pipe2');
const fds = piped.data?.fds;
if (!Array.isArray(fds)) process.exit(2);
const outright = process.argv[2] === 'SIGKILL';
const { child } = await parent.spawnChild('child');
const read = child.call('read', { fd: fds[0]!, count: 64 });
await child.watchBlocked('read', { fd: fds[0]! }, read);
process.stdout.write(`${JSON.stringify({ pids: team.pids(), inode: piped.data?.inode })}\n`);
if (outright) process.kill(process.pid, 'SIGKILL');
else process.exit(3);
