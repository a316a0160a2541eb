/** Claims about pipes several lessons measure (each lesson names the step after which to measure). */
import type { LessonClaim } from '../lesson-types';
import { numberVar } from '../lesson-types';
import { text } from '../step-kit';

/* PIPE_BUF: <linux/limits.h>, the largest write a pipe keeps in one piece */
export const PIPE_BUF = 4096;

/**
 * "The pipe buffer is usually 4 KB": F_GETPIPE_SZ on the lesson's own pipe,
 * through `role`'s read end vars[fdVar], borrowed for microseconds.
 */
export function pipeCapacityClaim(after: string, role = 'parent', fdVar = 'fd0'): LessonClaim {
  return {
    id: 'pipe-buffer-4k',
    claim: text(
      'Course notes often say a pipe buffer is usually 4 KB.',
      '课程资料常说管道缓冲区通常是 4 KB。',
      '課程資料常說管道緩衝區通常是 4 KB。',
    ),
    after,
    measure(settled) {
      const fill = settled.pipeFill(role, numberVar(settled.vars, fdVar));
      const capacity = fill?.capacity;
      if (typeof capacity !== 'number') throw new Error('F_GETPIPE_SZ could not be read on the lesson pipe');
      const holds = capacity === PIPE_BUF ? 'holds' : 'differs';
      return {
        holds,
        measured: { F_GETPIPE_SZ: capacity, PIPE_BUF },
        text: text(
          `This kernel gives this pipe ${capacity} bytes (F_GETPIPE_SZ), ${capacity / 4096} pages of 4096. The 4 KB figure is PIPE_BUF: the largest write the kernel never splits or interleaves with another writer's. Both numbers are real; they answer different questions.`,
          `本内核给这个管道的容量是 ${capacity} 字节（F_GETPIPE_SZ），即 ${capacity / 4096} 个 4096 字节的页。4 KB 这个数字是 PIPE_BUF：内核保证不拆分、不与其他写者交错的最大一次写入。两个数字都对，只是回答的问题不同。`,
          `本核心給這個管道的容量是 ${capacity} 位元組（F_GETPIPE_SZ），即 ${capacity / 4096} 個 4096 位元組的頁。4 KB 這個數字是 PIPE_BUF：核心保證不拆分、不與其他寫者交錯的最大一次寫入。兩個數字都對，只是回答的問題不同。`,
        ),
      };
    },
  };
}
