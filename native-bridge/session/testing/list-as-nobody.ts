/**
 * Run by process-list.test.ts as nobody (uid 65534): an engine session's
 * answer to "processes.list" with the query on the command line, as one JSON line.
 */
import { createSession } from '../session';

const session = await createSession();
const result = await session.handle({ type: 'processes.list', query: process.argv[2] ?? '' });
console.log(JSON.stringify(result));
await session.dispose();
