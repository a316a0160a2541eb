import { useEffect, type RefObject } from 'react';
import { useAppStore } from '../store/app-store';

/** Keeps the store's stageBox at the size of the element the picture or the map fills (map-selectors.ts reads it). */
export function useStageBox(ref: RefObject<HTMLElement | null>): void {
  useEffect(() => {
    const element = ref.current;
    if (!element || typeof ResizeObserver === 'undefined') return undefined;
    const measure = () => useAppStore.getState().setStageBox({ width: element.clientWidth, height: element.clientHeight });
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    measure();
    return () => observer.disconnect();
  }, [ref]);
}
