import { describe, expect, it } from 'vitest';
import { FakeWebContents } from '../fake-electron';
import { isAppUrl, isTrustedSender } from './trusted-sender';
import { APP_PAGE_URL } from './window-security';

function ourWindow(url = APP_PAGE_URL): FakeWebContents {
  const contents = new FakeWebContents();
  contents.mainFrame.url = url;
  return contents;
}

describe('isTrustedSender', () => {
  it('accepts a call from the main frame of our window showing our page', () => {
    const window = ourWindow();
    expect(isTrustedSender({ sender: window, senderFrame: window.mainFrame }, window, APP_PAGE_URL)).toBe(true);
  });

  it('accepts our page at another path of our own origin (hash and query too)', () => {
    const window = ourWindow('app://ipcscope/index.html#/lesson/pipe?x=1');
    expect(isTrustedSender({ sender: window, senderFrame: window.mainFrame }, window, APP_PAGE_URL)).toBe(true);
  });

  it('refuses our main frame once it shows another URL', () => {
    for (const url of ['https://evil.example/', 'app://evil/index.html', 'file:///etc/passwd', 'data:text/html,hi', 'about:blank', 'app://ipcscope.evil/index.html']) {
      const window = ourWindow(url);
      expect(isTrustedSender({ sender: window, senderFrame: window.mainFrame }, window, APP_PAGE_URL), url).toBe(false);
    }
  });

  it('refuses a subframe of our window, even one showing our own URL', () => {
    const window = ourWindow();
    const ours = window.subframe(APP_PAGE_URL);
    const foreign = window.subframe('https://evil.example/');
    expect(isTrustedSender({ sender: window, senderFrame: ours }, window, APP_PAGE_URL)).toBe(false);
    expect(isTrustedSender({ sender: window, senderFrame: foreign }, window, APP_PAGE_URL)).toBe(false);
  });

  it('refuses another webContents, even its main frame showing our URL', () => {
    const window = ourWindow();
    const other = ourWindow();
    expect(isTrustedSender({ sender: other, senderFrame: other.mainFrame }, window, APP_PAGE_URL)).toBe(false);
    /* a frame of ours reported by another sender is refused as well */
    expect(isTrustedSender({ sender: other, senderFrame: window.mainFrame }, window, APP_PAGE_URL)).toBe(false);
  });

  it('refuses a frame that has gone, and any call once our window is destroyed', () => {
    const window = ourWindow();
    expect(isTrustedSender({ sender: window, senderFrame: null }, window, APP_PAGE_URL)).toBe(false);
    expect(isTrustedSender({ sender: window, senderFrame: window.mainFrame }, null, APP_PAGE_URL)).toBe(false);
    window.destroyed = true;
    expect(isTrustedSender({ sender: window, senderFrame: window.mainFrame }, window, APP_PAGE_URL)).toBe(false);
  });

  it('works against the dev server origin in development', () => {
    const dev = 'http://localhost:5173/';
    const window = ourWindow('http://localhost:5173/index.html');
    expect(isTrustedSender({ sender: window, senderFrame: window.mainFrame }, window, dev)).toBe(true);
    window.mainFrame.url = 'http://localhost:5174/';
    expect(isTrustedSender({ sender: window, senderFrame: window.mainFrame }, window, dev)).toBe(false);
  });
});

describe('isAppUrl', () => {
  it('compares app:// by host and port, file: by exact file, and never matches garbage', () => {
    expect(isAppUrl('app://ipcscope/assets/x.js', APP_PAGE_URL)).toBe(true);
    expect(isAppUrl('app://user@ipcscope/', APP_PAGE_URL)).toBe(false);
    expect(isAppUrl('app://ipcscope:8080/', APP_PAGE_URL)).toBe(false);
    expect(isAppUrl('file:///opt/app/index.html', 'file:///opt/app/index.html')).toBe(true);
    expect(isAppUrl('file:///opt/app/other.html', 'file:///opt/app/index.html')).toBe(false);
    expect(isAppUrl('not a url', APP_PAGE_URL)).toBe(false);
  });
});
