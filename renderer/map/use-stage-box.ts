import { useEffect, type RefObject } from 'react';
import { useAppStore } from '../store/app-store';

/**
 * Keeps the store's stageBox at the size the picture or the map is drawn in
 * (map-selectors.ts reads it): the element's content box, without its padding,
 * which the picture's SVG (width and height 100%) does not get.
 */
export function useStageBox(ref: RefObject<HTMLElement | null>): void {
  useEffect(() => {
    const element = ref.current;
    if (!element || typeof ResizeObserver === 'undefined') return undefined;
    const measure = () => {
      const style = getComputedStyle(element);
      const padX = parseFloat(style.paddingLeft) + parseFloat(style.paddingRight);
      const padY = parseFloat(style.paddingTop) + parseFloat(style.paddingBottom);
      useAppStore.getState().setStageBox({ width: element.clientWidth - (padX || 0), height: element.clientHeight - (padY || 0) });
    };
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    measure();
    return () => observer.disconnect();
  }, [ref]);
}
