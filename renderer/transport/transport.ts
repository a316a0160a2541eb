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
