/**
 * Lesson side of actor/ops/ftok-fresh-key.ts: ftok keeps 16 bits of the
 * inode, so the key of a lesson's directory may already belong to another
 * program's object. The create step asks the actor to retry with a new
 * directory; later ftok steps use the path that won, and a create that still
 * fails names the key and its owner as ipcs would.
 */
import type { ActorReply } from '../actor/actor-protocol';
import { keyHex } from '../actor/ops/ftok-fresh-key';
import { readSysvTable, type SysvTable } from '../probe/kinds/sysv/sysvipc-table';
import type { LocalizedText } from '../model/frame-types';
import type { LessonVars } from './lesson-types';
import { stringVar } from './lesson-types';
import { text } from './step-kit';

/** The path ftok should use: the directory the create step ended up with, else the lesson's own. */
export function ftokPath(vars: LessonVars): string {
  return typeof vars.ftokPath === 'string' ? vars.ftokPath : stringVar(vars, 'dir');
}

/** Arguments that let a create with IPC_EXCL retry under a new directory when the key is taken. */
export const freshKeyArgs = (vars: LessonVars, projId: number) => ({ retryDir: stringVar(vars, 'dir'), projId });

/** After a create: remember the key and path that won, so the other program's ftok finds the same object. */
export function saveFreshKey(reply: ActorReply, vars: LessonVars, keyVar: string): void {
  if (reply.result < 0 || typeof reply.data?.ftokPath !== 'string' || typeof reply.data.key !== 'number') return;
  vars.ftokPath = reply.data.ftokPath;
  vars[keyVar] = reply.data.key;
}

const ID_COLUMN: Record<SysvTable, string> = { shm: 'shmid', msg: 'msqid', sem: 'semid' };

/** When a create still got EEXIST: the key and who holds it (id, creator's uid and pid), as ipcs lists it. */
export function keyTakenNote(table: SysvTable, reply: Pick<ActorReply, 'errno' | 'data'>): string | null {
  if (reply.errno !== 'EEXIST' || typeof reply.data?.key !== 'number') return null;
  const key = reply.data.key;
  const row = readSysvTable(table).find((r) => r.key === key);
  const owner = row ? `${ID_COLUMN[table]} ${row[ID_COLUMN[table]]}, cuid ${row.cuid}${row.cpid !== undefined ? `, cpid ${row.cpid}` : ''}` : 'an object since removed';
  const taken = Array.isArray(reply.data.takenKeys) ? reply.data.takenKeys.length : 0;
  return `key ${keyHex(key)} is taken by ${owner} (ipcs); ${taken} other keys from new directories were taken too`;
}

/** The sentence each create step adds to its explanation. */
export const collisionNote = text(
  ' ftok keeps only 16 bits of the inode, so another program\'s object may already have this key: IPC_EXCL then fails with EEXIST, and the lesson makes a new directory (a new inode, a new key) and tries again, never using that object. The result shows the new key when that happened.',
  ' ftok 只保留 inode 的低 16 位，所以别的程序的对象可能已经占用了这个键值：这时 IPC_EXCL 以 EEXIST 失败，本课会新建一个目录（新的 inode、新的键值）再试一次，绝不使用那个对象。若发生了这种情况，结果里会显示新的键值。',
  ' ftok 只保留 inode 的低 16 位元，所以別的程式的物件可能已經佔用了這個鍵值：這時 IPC_EXCL 以 EEXIST 失敗，本課會新建一個目錄（新的 inode、新的鍵值）再試一次，絕不使用那個物件。若發生了這種情況，結果裡會顯示新的鍵值。',
);

/** A create step's explanation followed by `collisionNote`, in each language. */
export function withCollisionNote(explain: LocalizedText): LocalizedText {
  return { en: explain.en + collisionNote.en, 'zh-Hans': explain['zh-Hans'] + collisionNote['zh-Hans'], 'zh-Hant': explain['zh-Hant'] + collisionNote['zh-Hant'] };
}
