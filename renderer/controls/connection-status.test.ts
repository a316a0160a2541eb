import { describe, expect, it } from 'vitest';
import { translatorFor } from '../store/selectors';
import { describeStatus } from './connection-status';

describe('connection status', () => {
  const t = translatorFor('en');
  it('reads the transport status words', () => {
    expect(describeStatus('open', t)).toEqual({ kind: 'open', text: 'connected' });
    expect(describeStatus('connecting', t).kind).toBe('connecting');
    expect(describeStatus('closed', t)).toEqual({ kind: 'closed', text: 'disconnected' });
    expect(describeStatus('closed: ipcscope web was stopped', t)).toEqual({ kind: 'closed', text: 'disconnected: ipcscope web was stopped' });
    expect(describeStatus('error: no token in the page URL', t)).toEqual({ kind: 'error', text: 'error: no token in the page URL' });
    expect(describeStatus('ECONNREFUSED', t)).toEqual({ kind: 'error', text: 'error: ECONNREFUSED' });
  });
});
