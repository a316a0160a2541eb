/**
 * The runner's words for a step a dying or stopped process ended, in the three
 * languages every text a learner reads comes in (LocalizedText, as lesson
 * texts carry them). The view picks the chosen language; `en` is also the
 * lesson error's plain string (CLI, logs).
 */
import type { Locale, LocalizedText } from '../model/frame-types';
import { signalName } from '../probe/process/signals';

/** How a process ended, as waitpid's WTERMSIG / WEXITSTATUS say. */
export interface ProcessEnd {
  signal?: number;
  exitCode?: number;
}

/** The same text built once per language. */
export function inEachLocale(build: (locale: Locale) => string): LocalizedText {
  return { en: build('en'), 'zh-Hans': build('zh-Hans'), 'zh-Hant': build('zh-Hant') };
}

/** A note that may come in one language only (an actor's strerror, a lesson's English note): the same in each. */
export function noteIn(note: string | LocalizedText, locale: Locale): string {
  return typeof note === 'string' ? note : note[locale];
}

/** "killed by signal 9 (SIGKILL)" or "exit status 3". */
export function exitWords(exit: ProcessEnd): LocalizedText {
  if (exit.signal !== undefined) {
    const signal = `${exit.signal}`;
    const name = signalName(exit.signal);
    return { en: `killed by signal ${signal} (${name})`, 'zh-Hans': `被信号 ${signal}（${name}）终止`, 'zh-Hant': `遭訊號 ${signal}（${name}）終止` };
  }
  const code = String(exit.exitCode);
  return { en: `exit status ${code}`, 'zh-Hans': `退出码 ${code}`, 'zh-Hant': `結束碼 ${code}` };
}

/** What a waitpid step shows after the child's PID: " (killed by signal 13)", " (exit status 1)". */
export function reapedWords(exit: ProcessEnd): LocalizedText {
  if (exit.signal !== undefined) {
    const signal = `${exit.signal}`;
    return { en: ` (killed by signal ${signal})`, 'zh-Hans': `（被信号 ${signal} 终止）`, 'zh-Hant': `（遭訊號 ${signal} 終止）` };
  }
  const code = String(exit.exitCode);
  return { en: ` (exit status ${code})`, 'zh-Hans': `（退出码 ${code}）`, 'zh-Hant': `（結束碼 ${code}）` };
}

/** The result of a call that got no reply because its process died in it (e.g. SIGPIPE, SIGKILL). */
export function noReturnWords(exit: ProcessEnd | null): LocalizedText {
  const how = exit ? exitWords(exit) : null;
  return {
    en: `no return: the process died${how ? `: ${how.en}` : ''}`,
    'zh-Hans': `没有返回：进程已死${how ? `，${how['zh-Hans']}` : ''}`,
    'zh-Hant': `沒有返回：行程已死${how ? `，${how['zh-Hant']}` : ''}`,
  };
}

/** The lesson error of that call: "the child process (PID 123) died during read: killed by signal 15 (SIGTERM)". */
export function diedDuringWords(role: string, syscall: string, exit: (ProcessEnd & { pid: number }) | null): LocalizedText {
  const how = exit ? exitWords(exit) : null;
  const pid = exit ? `${exit.pid}` : '';
  return {
    en: `the ${role} process${exit ? ` (PID ${pid})` : ''} died during ${syscall}${how ? `: ${how.en}` : ''}`,
    'zh-Hans': `${role} 进程${exit ? `（PID ${pid}）` : ''}在 ${syscall} 调用中死亡${how ? `，${how['zh-Hans']}` : ''}`,
    'zh-Hant': `${role} 行程${exit ? `（PID ${pid}）` : ''}在 ${syscall} 呼叫中死亡${how ? `，${how['zh-Hant']}` : ''}`,
  };
}

/** The lesson error of a call that failed: "close failed: EBADF (note)". */
export function callFailedWords(syscall: string, errno: string, note: string | LocalizedText | null): LocalizedText {
  return {
    en: `${syscall} failed: ${errno}${note ? ` (${noteIn(note, 'en')})` : ''}`,
    'zh-Hans': `${syscall} 失败：${errno}${note ? `（${noteIn(note, 'zh-Hans')}）` : ''}`,
    'zh-Hant': `${syscall} 失敗：${errno}${note ? `（${noteIn(note, 'zh-Hant')}）` : ''}`,
  };
}

/** The lesson error while a step's process is stopped; cleared once the call returns. */
export function stoppedWords(role: string, syscall: string): LocalizedText {
  return {
    en: `the ${role} process is stopped (SIGSTOP, state T): its ${syscall} cannot finish until it is continued (SIGCONT)`,
    'zh-Hans': `${role} 进程已被停止（SIGSTOP，状态 T）：在它被继续（SIGCONT）之前，它的 ${syscall} 无法完成`,
    'zh-Hant': `${role} 行程已被停止（SIGSTOP，狀態 T）：在它被繼續執行（SIGCONT）之前，它的 ${syscall} 無法完成`,
  };
}

/** Two deaths told at once (the echo killed, the racer by SIGPIPE at its next write): both, in each language. */
export function joinedWords(first: LocalizedText, second: LocalizedText): LocalizedText {
  return inEachLocale((locale) => `${first[locale]}${locale === 'en' ? '; ' : '；'}${second[locale]}`);
}

/** The English text of a runner text (the lesson error's plain string). */
export function englishOf(text: string | LocalizedText | null): string | null {
  return text === null || typeof text === 'string' ? text : text.en;
}
