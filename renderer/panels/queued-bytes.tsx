import { peekText } from '../format/bytes-text';
import type { Translate } from '../i18n/strings';

/**
 * A receive queue's byte count and, when the bytes were peeked, what they say:
 * `11 B "onetwothree"`. An observation does not peek (peekBytes 0), so queued
 * bytes without a peek are "(contents not read)", as the pipe ring says, never
 * an empty `""` that would claim the queue holds no text.
 */
export function QueuedBytes({ queued, peek, t }: { queued: number; peek: string | null | undefined; t: Translate }) {
  if (queued > 0 && (peek === null || peek === undefined)) {
    return <span title={t('pipeNotReadWhy', { queued })}>{`${queued} B ${t('pipeNotRead')}`}</span>;
  }
  if (!peek) return <code>{`${queued} B`}</code>;
  return <code>{`${queued} B  "${peekText(peek)}"`}</code>;
}
