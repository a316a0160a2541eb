/**
 * What the rest of the renderer sees of a transport: the ViewApi, whichever
 * door (WebSocket in the browser, the preload in Electron) is behind it.
 */
export type { ViewApi } from '../../native-bridge/model/session-api';
export type { Command, CommandResult } from '../../native-bridge/model/commands';
export type { Frame } from '../../native-bridge/model/frame-types';

/** Status texts a transport reports besides error texts. */
export const STATUS_CONNECTING = 'connecting';
export const STATUS_OPEN = 'open';
export const STATUS_CLOSED = 'closed';

import type { ViewApi as View } from '../../native-bridge/model/session-api';
import type { SharedEngineMessage } from '../../native-bridge/web/wire-protocol';

export type { ClientsMessage, PeerAction, PeerActionMessage, SharedEngineMessage } from '../../native-bridge/web/wire-protocol';

/**
 * A door several windows may share (browser mode: one engine, one session):
 * it reports how many windows are connected and what the others did.
 */
export interface SharedEngineApi {
  onSharedEngine(listener: (message: SharedEngineMessage) => void): () => void;
}

export function sharesEngine(api: View): api is View & SharedEngineApi {
  return typeof (api as Partial<SharedEngineApi>).onSharedEngine === 'function';
}
