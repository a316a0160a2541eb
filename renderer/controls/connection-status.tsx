import { useT } from '../i18n/use-t';
import { useAppStore } from '../store/app-store';
import { selectStatus } from '../store/selectors';

/** The transport's word on the connection: "open", "closed", or what went wrong. */
export function ConnectionStatus() {
  const t = useT();
  const status = useAppStore(selectStatus);
  const kind = status === 'open' ? 'open' : status === 'closed' ? 'closed' : status === 'connecting' ? 'connecting' : 'error';
  const text =
    kind === 'open' ? t('statusOpen') : kind === 'closed' ? t('statusClosed') : kind === 'connecting' ? t('statusConnecting') : t('statusError', { text: status });
  return (
    <span className={`status status-${kind}`} data-testid="connection-status" data-status={kind} role="status">
      <span className="status-dot" aria-hidden="true" />
      {text}
    </span>
  );
}
