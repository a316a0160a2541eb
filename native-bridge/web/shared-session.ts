/**
 * Several browser windows on one engine drive the same session: a lesson
 * started in one replaces what the other shows. This keeps each window told
 * how many share it and what the others did (wire-protocol.ts
 * SharedEngineMessage), so the sharing is visible rather than silent.
 */
import { CommandError, parseCommand } from '../model/commands';
import type { PeerAction } from './wire-protocol';

/** Commands that only read (they change nothing another window sees). */
const READ_ONLY = new Set(['lessons.list', 'processes.list']);

/** What a command that succeeded did to the shared session, in a few fields; null for a read-only or invalid one. */
export function peerAction(input: unknown): PeerAction | null {
  let command;
  try {
    command = parseCommand(input);
  } catch (err) {
    if (err instanceof CommandError) return null;
    throw err;
  }
  if (READ_ONLY.has(command.type)) return null;
  switch (command.type) {
    case 'lesson.start':
      return { command: command.type, lesson: command.lesson };
    case 'step.back':
      return { command: command.type, step: command.step };
    case 'observe':
      return 'all' in command ? { command: command.type, all: true } : { command: command.type, pids: command.pids, tree: command.tree };
    default:
      return { command: command.type };
  }
}

/** The windows connected, each with the number it was given. */
export class SharedClients<Client> {
  private readonly numbers = new Map<Client, number>();
  private next = 1;

  add(client: Client): number {
    const n = this.next++;
    this.numbers.set(client, n);
    return n;
  }

  remove(client: Client): void {
    this.numbers.delete(client);
  }

  numberOf(client: Client): number | undefined {
    return this.numbers.get(client);
  }

  /** Each connected window with its number. */
  entries(): [Client, number][] {
    return [...this.numbers];
  }

  get count(): number {
    return this.numbers.size;
  }
}
