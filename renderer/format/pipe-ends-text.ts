import type { PipeObject } from '../../native-bridge/model/snapshot-types';
import type { Translate } from '../i18n/strings';

/**
 * A pipe's readers and writers as a view says them: the listed holders'
 * counts, except that a count of 0 the kernel contradicts (PipeObject
 * hiddenReaders / hiddenWriters: an end open where no listed table holds
 * it) says an end is open though not shown, and one the engine could not
 * check says unknown. Never "0 writer(s)" while a write end is open.
 */
export function pipeEndsText(pipe: Pick<PipeObject, 'readers' | 'writers' | 'hiddenReaders' | 'hiddenWriters'>, t: Translate): string {
  const { readers, writers, hiddenReaders, hiddenWriters } = pipe;
  const readersText = hiddenReaders === true ? t('pipeReadersHidden') : hiddenReaders === null ? t('pipeReadersUnknown') : t('pipeReaders', { readers });
  const writersText = hiddenWriters === true ? t('pipeWritersHidden') : hiddenWriters === null ? t('pipeWritersUnknown') : t('pipeWriters', { writers });
  return t('pipeEnds', { readers: readersText, writers: writersText });
}
