/**
 * Small helpers lessons share: saving the descriptors pipe2 returned, the
 * arguments of the usual calls, and verdict texts in three languages.
 */
import type { ActorReply } from '../actor/actor-protocol';
import type { LocalizedText } from '../model/frame-types';
import { numberVar, type LessonVars } from './lesson-types';

export function text(en: string, hans: string, hant: string): LocalizedText {
  return { en, 'zh-Hans': hans, 'zh-Hant': hant };
}

/** pipe2's save: the read end as vars[read], the write end as vars[write]. */
export function saveFds(read: string, write: string): (reply: ActorReply, vars: LessonVars) => void {
  return (reply, vars) => {
    const fds = reply.data?.fds;
    if (Array.isArray(fds)) [vars[read], vars[write]] = [fds[0]!, fds[1]!];
  };
}

/** The returned descriptor (open) as vars[name]. */
export function saveResult(name: string): (reply: ActorReply, vars: LessonVars) => void {
  return (reply, vars) => {
    vars[name] = reply.result;
  };
}

/** The bytes a read returned, base64, as vars[name] (to print them). */
export function saveBytes(name: string): (reply: ActorReply, vars: LessonVars) => void {
  return (reply, vars) => {
    if (typeof reply.data?.bytes === 'string') vars[name] = reply.data.bytes;
  };
}

export const onFd = (name: string) => (vars: LessonVars) => ({ fd: numberVar(vars, name) });
export const readFd = (name: string, count: number) => (vars: LessonVars) => ({ fd: numberVar(vars, name), count });
export const writeFd = (name: string, message: string) => (vars: LessonVars) => ({ fd: numberVar(vars, name), text: message });
/** write(STDOUT_FILENO, buf, n) of what vars[name] holds (base64 from saveBytes). */
export const printVar = (name: string) => (vars: LessonVars) => ({ fd: 1, data: typeof vars[name] === 'string' ? vars[name] : '' });
export const waitFor = (name: string) => (vars: LessonVars) => ({ pid: numberVar(vars, name) });
export const exitWith = (code: number) => () => ({ code });

/** "pipe2 returned fds", "fork returned the child's pid" */
export const savePid = (name: string) => saveResult(name);

/** Base64 of a little-endian 32-bit task code, as `uint32_t` in memory on x86_64. */
export function u32(value: number): string {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32LE(value);
  return bytes.toString('base64');
}
