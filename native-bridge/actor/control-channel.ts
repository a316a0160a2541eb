/**
 * An actor's control channel, made by the engine before the actor exists:
 * a stream socketpair for the JSON lines and a datagram socketpair, the
 * inbox, through which the engine hands the actor descriptors (SCM_RIGHTS).
 * The actor's ends reach it at CONTROL_FD and INBOX_FD (spawn stdio, or a
 * parent actor's posix_spawn file actions); the engine keeps the others.
 * Nothing is bound or listening: /proc/net/unix lists these sockets without
 * a name, and no other process can connect to them.
 */
import { errnoName } from '../libc/errno';
import { lastErrno, native } from '../libc/libc';
import { AF_UNIX, SOCK_CLOEXEC, SOCK_DGRAM, SOCK_STREAM, sock } from '../libc/sockets';
import { errnoWithLimit } from '../libc/process-limits';

export class ControlChannel {
  private actorEndsOpen = true;

  private constructor(
    /** The engine's end of the stream socketpair (wrapped in a net.Socket by the team). */
    readonly engineControl: number,
    /** The engine's end of the inbox: descriptors for the actor are sent here. */
    readonly engineInbox: number,
    readonly actorControl: number,
    readonly actorInbox: number,
  ) {}

  /** Both socketpairs, close-on-exec; an error names the errno and the limit behind it. */
  static open(): ControlChannel {
    const control = pair(SOCK_STREAM);
    let inbox: Int32Array;
    try {
      inbox = pair(SOCK_DGRAM);
    } catch (err) {
      native.close(control[0]!);
      native.close(control[1]!);
      throw err;
    }
    return new ControlChannel(control[0]!, inbox[0]!, control[1]!, inbox[1]!);
  }

  /**
   * Once the actor's ends are in its hands (spawned, or sent to its parent):
   * the engine's copies would keep the channel open after the actor died.
   */
  closeActorEnds(): void {
    if (!this.actorEndsOpen) return;
    this.actorEndsOpen = false;
    native.close(this.actorControl);
    native.close(this.actorInbox);
  }
}

/** Closes all four ends: the channel is given up before any actor got it. */
export function abandonChannel(channel: ControlChannel): void {
  channel.closeActorEnds();
  native.close(channel.engineControl);
  native.close(channel.engineInbox);
}

function pair(type: number): Int32Array {
  const fds = new Int32Array(2);
  if (sock.socketpair(AF_UNIX, type | SOCK_CLOEXEC, 0, fds) !== 0) {
    throw new Error(`socketpair failed: ${errnoWithLimit(errnoName(lastErrno()))}`);
  }
  return fds;
}
