/**
 * Test support: sessions and child processes a test file opens, all disposed
 * and killed after each test (sessions first, so no probe reads a child as it
 * dies), also when the test fails. Used by tests only.
 */
import { afterEach } from 'vitest';
import { ChildSet } from '../../cli/cli-test-support';
import { createSession, type Session, type SessionOptions } from '../session';

export interface SessionsAndChildren {
  readonly children: ChildSet;
  /** A new session, disposed after the test. */
  open(options?: SessionOptions): Promise<Session>;
}

export function useSessionsAndChildren(): SessionsAndChildren {
  const children = new ChildSet();
  const sessions: Session[] = [];
  afterEach(async () => {
    for (const session of sessions.splice(0)) await session.dispose();
    await children.killAll();
  });
  return {
    children,
    open: async (options) => {
      const session = await createSession(options);
      sessions.push(session);
      return session;
    },
  };
}
