import { useEffect, useRef } from 'react';
import { plainText } from '../format/bytes-text';
import { useT } from '../i18n/use-t';
import { useAppStore } from '../store/app-store';
import { selectStdout } from '../store/selectors';

/** What the processes printed: the data of their write(1, ...) calls that returned. */
export function StdoutPanel() {
  const t = useT();
  const lines = useAppStore(selectStdout);
  const box = useRef<HTMLPreElement>(null);
  useEffect(() => {
    if (box.current) box.current.scrollTop = box.current.scrollHeight;
  }, [lines]);
  return (
    <section className="panel stdout-panel" aria-labelledby="stdout-title">
      <h2 id="stdout-title">{t('stdout')}</h2>
      <pre ref={box} data-testid="stdout-panel" className="stdout-text">
        {lines.length === 0 ? (
          <span className="empty">{t('stdoutEmpty')}</span>
        ) : (
          lines.map(({ event }) => (
            <span key={event.seq} className="stdout-chunk">
              <span className="stdout-who">{`[${event.role} ${event.pid}] `}</span>
              {plainText(event.data)}
            </span>
          ))
        )}
      </pre>
    </section>
  );
}
