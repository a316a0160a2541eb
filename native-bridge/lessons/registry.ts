/**
 * Every lesson the engine can run. Adding one: write `lessons/<id>.ts`
 * exporting a `Lesson`, import it here and add it to `allLessons`.
 */
import type { LessonSummary } from '../model/frame-types';
import { defaultParams } from './lesson-params';
import { stepsOf, type Lesson } from './lesson-types';
import { echoLogger } from './sockets/echo-logger';
import { fifoServerClient } from './pipes/fifo-server-client';
import { ipcRace } from './race/ipc-race';
import { msgqPosix } from './queues/msgq-posix';
import { msgqTyped } from './queues/msgq-typed';
import { mmapLock } from './shared-memory/mmap-lock';
import { passDescriptor } from './sockets/pass-descriptor';
import { pipeBothWays } from './pipes/pipe-both-ways';
import { pipeForgottenClose } from './pipes/pipe-forgotten-close';
import { pipeFullWrite } from './pipes/pipe-full-write';
import { pipeParentChild } from './pipes/pipe-parent-child';
import { pipeSigpipe } from './pipes/pipe-sigpipe';
import { pipeTasks } from './pipes/pipe-tasks';
import { pipeTwoWays } from './pipes/pipe-two-ways';
import { processPool } from './pool/process-pool';
import { semCounter } from './shared-memory/sem-counter';
import { shmServerClient } from './shared-memory/shm-server-client';
import { signalsLesson } from './signals/signals';
import { streamVsDatagram } from './sockets/stream-vs-datagram';
import { unixStreamServer } from './sockets/unix-stream-server';

export const allLessons: readonly Lesson[] = [pipeParentChild, pipeBothWays, pipeTwoWays, pipeFullWrite, pipeSigpipe, pipeForgottenClose, pipeTasks, fifoServerClient, shmServerClient, msgqTyped, msgqPosix, semCounter, signalsLesson, mmapLock, processPool, unixStreamServer, streamVsDatagram, passDescriptor, echoLogger, ipcRace];

export function findLesson(id: string): Lesson | undefined {
  return allLessons.find((lesson) => lesson.id === id);
}

export function lessonSummaries(lessons: readonly Lesson[] = allLessons): LessonSummary[] {
  return lessons.map((lesson) => {
    const { id, title, summary, mechanism, params = [] } = lesson;
    return { id, title, summary, mechanism, stepCount: stepsOf(lesson, defaultParams(params)).length, params };
  });
}
