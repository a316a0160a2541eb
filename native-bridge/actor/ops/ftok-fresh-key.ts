/**
 * ftok keeps only the low 16 bits of the inode (glibc: (proj_id & 0xff) << 24 |
 * (st_dev & 0xff) << 16 | (st_ino & 0xffff)), so another program's object may
 * already hold the key of a lesson's fresh directory. A create with IPC_EXCL
 * then fails with EEXIST: instead of opening (or later removing) that object,
 * make a new directory inside the lesson's own (a new inode, a new key) and
 * create again, a bounded number of times.
 */
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { errnoName } from '../../libc/errno';
import { lastErrno } from '../../libc/libc';
import { sysv } from '../../libc/sysv';
import type { OpData, OpOutcome } from '../actor-protocol';
import { intArg, stringArg } from './op-types';

/* 8 keys in a row all taken would be a machine full of System V objects, not bad luck */
export const FRESH_KEY_TRIES = 8;

export const keyHex = (key: number): string => `0x${(key >>> 0).toString(16).padStart(8, '0')}`;

/**
 * Runs `create(key)` (a shmget/msgget/semget with IPC_CREAT|IPC_EXCL) with
 * args.key; on EEXIST, when args.retryDir names the lesson's directory,
 * again with ftok(new directory, args.projId). The reply's data says which
 * key and path won (`key`, `ftokPath`) and which keys were taken (`takenKeys`).
 */
export function createWithFreshKey(args: Record<string, unknown>, create: (key: number) => number, idName: string): OpOutcome {
  let key = intArg(args, 'key');
  const retryDir = typeof args.retryDir === 'string' ? stringArg(args, 'retryDir') : null;
  const projId = retryDir === null ? 0 : intArg(args, 'projId');
  const takenKeys: number[] = [];
  let ftokPath: string | null = null;
  for (let attempt = 0; ; attempt += 1) {
    const id = create(key);
    /* read errno straight after the call */
    const errno = id < 0 ? errnoName(lastErrno()) : null;
    if (id >= 0) {
      const object = `${idName === 'shmid' ? 'shm' : idName === 'msqid' ? 'msg' : 'sem'}:${id}`;
      const data: OpData = { [idName]: id, object, key, takenKeys };
      if (ftokPath !== null) Object.assign(data, { ftokPath, shown: `${id} (key ${keyHex(key)})` });
      return { result: id, errno: null, data };
    }
    if (errno !== 'EEXIST' || retryDir === null || attempt + 1 >= FRESH_KEY_TRIES) {
      return { result: -1, errno, data: { key, takenKeys } };
    }
    takenKeys.push(key);
    ftokPath = mkdtempSync(join(retryDir, 'ftok-'));
    key = sysv.ftok(ftokPath, projId);
  }
}
