import type { Translate } from '../i18n/strings';
import { useT } from '../i18n/use-t';
import { useAppStore } from '../store/app-store';
import { selectStatus } from '../store/selectors';
import { STATUS_CLOSED, STATUS_CONNECTING, STATUS_OPEN } from '../transport/transport';

export type StatusKind = 'open' | 'closed' | 'connecting' | 'error';

/**
 * The transport's words: "open", "connecting", "closed" or "closed: why",
 * "error: why" (or any other text, which is an error too).
 */
export function describeStatus(status: string, t: Translate): { kind: StatusKind; text: string } {
  const [head = '', ...rest] = status.split(':');
  const detail = rest.join(':').trim();
  if (status === STATUS_OPEN) return { kind: 'open', text: t('statusOpen') };
  if (status === STATUS_CONNECTING) return { kind: 'connecting', text: t('statusConnecting') };
  if (head === STATUS_CLOSED) return { kind: 'closed', text: detail ? `${t('statusClosed')}: ${detail}` : t('statusClosed') };
  return { kind: 'error', text: t('statusError', { text: head === 'error' ? detail : status }) };
}

export function ConnectionStatus() {
  const t = useT();
  const status = useAppStore(selectStatus);
  const { kind, text } = describeStatus(status, t);
  return (
    <span className={`status status-${kind}`} data-testid="connection-status" data-status={kind} role="status" title={status}>
      <span className="status-dot" aria-hidden="true" />
      {/* Connected is the usual case: a green dot says it; any other status is spelled out. */}
      <span className={kind === 'open' ? 'sr-only' : 'status-text'}>{text}</span>
    </span>
  );
}
