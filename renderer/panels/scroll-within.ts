/**
 * Scrolls the nearest box around `item` that scrolls itself (overflow auto or
 * scroll, with more content than room) just enough for `item` to show, and
 * nothing else. Element.scrollIntoView would also scroll every ancestor,
 * overflow:hidden panels and the page included: at lecture type on a 1280x720
 * projector, with a prediction verdict open, following the current step moved
 * the whole page up under the header and the side tabs sideways ("eps").
 */
export function scrollWithin(item: HTMLElement | null): void {
  if (!item) return;
  let box = item.parentElement;
  while (box && box !== document.body) {
    const overflow = getComputedStyle(box).overflowY;
    if ((overflow === 'auto' || overflow === 'scroll') && box.scrollHeight > box.clientHeight) break;
    box = box.parentElement;
  }
  if (!box || box === document.body) return;
  const room = box.getBoundingClientRect();
  const at = item.getBoundingClientRect();
  if (at.top < room.top) box.scrollTop -= room.top - at.top;
  // an item taller than the room shows its top
  else if (at.bottom > room.bottom) box.scrollTop += Math.min(at.bottom - room.bottom, at.top - room.top);
}
