import { useEffect } from 'react';
import { openPicker, useObserveStore } from './observe-store';

/** The key that opens the process picker (listed in the shortcuts overlay). */
export const OBSERVE_KEY = 'o';

/** "O" opens the process picker, unless the user is typing or another key is held with it. */
export function useObserveShortcut(): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey || event.key.toLowerCase() !== OBSERVE_KEY) return;
      const target = event.target as { tagName?: string; isContentEditable?: boolean } | null;
      if (target && (['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName ?? '') || target.isContentEditable)) return;
      if (useObserveStore.getState().pickerOpen) return;
      event.preventDefault();
      openPicker();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
