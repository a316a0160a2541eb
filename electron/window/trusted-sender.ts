/**
 * Who may call into main. Every call must come from the main frame of OUR
 * window, showing OUR page. GitHub Desktop once shipped this check backwards
 * (it accepted what it meant to refuse), so trusted-sender.test.ts checks it
 * both ways: accepted from our frame, refused from another URL, a subframe,
 * another webContents, or a frame that has gone.
 */

/** The parts of Electron's WebFrameMain the check reads. */
export interface FrameLike {
  readonly url: string;
  readonly parent: FrameLike | null;
  readonly processId: number;
  readonly routingId: number;
}

/** The parts of Electron's WebContents the check reads. */
export interface ContentsLike {
  readonly id: number;
  readonly mainFrame: FrameLike;
  isDestroyed(): boolean;
}

/** The parts of an IpcMainInvokeEvent / IpcMainEvent the check reads. */
export interface SenderLike {
  readonly sender: ContentsLike;
  readonly senderFrame: FrameLike | null;
}

/**
 * True when `candidate` is the app's own page. For app:// and the dev server
 * the origin must match (we serve everything on it); a file: URL must be the
 * very same file. An opaque origin ("null": data:, about:blank) never matches.
 */
export function isAppUrl(candidate: string, appUrl: string): boolean {
  let url: URL;
  let app: URL;
  try {
    url = new URL(candidate);
    app = new URL(appUrl);
  } catch {
    return false;
  }
  if (url.protocol !== app.protocol) return false;
  if (app.protocol === 'file:') return url.host === app.host && url.pathname === app.pathname;
  if (app.origin === 'null' || url.origin === 'null') {
    /* non-special schemes have an opaque origin in WHATWG URL: compare host + port by hand */
    return url.host !== '' && url.host === app.host && url.port === app.port && url.username === '' && url.password === '';
  }
  return url.origin === app.origin;
}

export function isTrustedSender(event: SenderLike, window: ContentsLike | null, appUrl: string): boolean {
  if (window === null || window.isDestroyed()) return false;
  if (event.sender.id !== window.id) return false;
  const frame = event.senderFrame;
  /* senderFrame is null when the frame navigated away or was destroyed before we read it */
  if (frame === null) return false;
  if (frame.parent !== null) return false;
  const main = window.mainFrame;
  if (frame !== main && (frame.processId !== main.processId || frame.routingId !== main.routingId)) return false;
  return isAppUrl(frame.url, appUrl);
}
