import { useEffect } from 'react';
import { actionForKey, runAction } from '../actions';

/** Listens on the window for the shortcuts in ACTIONS while the app is mounted. */
export function useShortcuts(): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const name = actionForKey(event);
      if (!name) return;
      event.preventDefault(); // Space would otherwise scroll or press the focused button twice.
      void runAction(name);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
