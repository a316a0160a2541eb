import { useEffect, useMemo, useRef } from 'react';
import { eventLine, supersededCalls } from '../format/kernel-words';
import { useT } from '../i18n/use-t';
import { useAppStore } from '../store/app-store';
import { selectEvents } from '../store/selectors';

/** Every syscall the lesson's processes made, newest at the bottom, following the tail. */
export function EventLog() {
  const t = useT();
  const events = useAppStore(selectEvents);
  const list = useRef<HTMLOListElement>(null);
  const stickToBottom = useRef(true);
  const hidden = useMemo(() => supersededCalls(events.map((e) => e.event)), [events]);
  const shown = events.filter((e) => !hidden.has(e.event.seq));

  useEffect(() => {
    const el = list.current;
    if (el && stickToBottom.current) el.scrollTop = el.scrollHeight;
  }, [events]);

  return (
    <section className="panel event-log" aria-labelledby="event-log-title">
      <h2 id="event-log-title">{t('eventLog')}</h2>
      <ol
        ref={list}
        data-testid="event-log"
        className="log-lines"
        onScroll={(e) => {
          const el = e.currentTarget;
          // Scrolling up to read stops auto-scroll until the reader returns to the bottom.
          stickToBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
        }}
      >
        {shown.length === 0 && <li className="empty">{t('eventLogEmpty')}</li>}
        {shown.map(({ event }) => (
          <li
            key={`${event.seq}/${event.phase}`}
            data-testid={`event-${event.seq}-${event.phase}`}
            className={`log-line phase-${event.phase}${event.errno ? ' failed' : ''}${event.syscall === 'read' && event.result === 0 ? ' eof' : ''}`}
            title={event.text}
          >
            {eventLine(event, t)}
          </li>
        ))}
      </ol>
    </section>
  );
}
