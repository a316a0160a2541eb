/**
 * Every lesson the engine can run. Adding one: write `lessons/<id>.ts`
 * exporting a `Lesson`, import it here and add it to `allLessons`.
 */
import type { LessonSummary } from '../model/frame-types';
import { defaultParams } from './lesson-params';
import { stepsOf, type Lesson } from './lesson-types';
import { echoLogger } from './echo-logger';
import { fifoServerClient } from './fifo-server-client';
import { ipcRace } from './ipc-race';
import { msgqPosix } from './msgq-posix';
import { msgqTyped } from './msgq-typed';
import { mmapLock } from './mmap-lock';
import { passDescriptor } from './pass-descriptor';
import { pipeBothWays } from './pipe-both-ways';
import { pipeForgottenClose } from './pipe-forgotten-close';
import { pipeFullWrite } from './pipe-full-write';
import { pipeParentChild } from './pipe-parent-child';
import { pipeSigpipe } from './pipe-sigpipe';
import { pipeTasks } from './pipe-tasks';
import { pipeTwoWays } from './pipe-two-ways';
import { processPool } from './process-pool';
import { semCounter } from './sem-counter';
import { shmServerClient } from './shm-server-client';
import { signalsLesson } from './signals';
import { streamVsDatagram } from './stream-vs-datagram';
import { unixStreamServer } from './unix-stream-server';

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
