import { PICTURE_SVG_ID } from '../picture/picture';

/**
 * The picture is SVG with literal colours, so it can be serialised and drawn
 * onto a canvas as it is: the PNG and the WebM show exactly the screen.
 */
export function pictureSvg(): SVGSVGElement | null {
  const el = document.getElementById(PICTURE_SVG_ID);
  return el instanceof SVGSVGElement ? el : null;
}

export function svgMarkup(svg: SVGSVGElement, width: number, height: number): string {
  const copy = svg.cloneNode(true) as SVGSVGElement;
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  copy.setAttribute('width', String(width));
  copy.setAttribute('height', String(height));
  copy.removeAttribute('style');
  return new XMLSerializer().serializeToString(copy);
}

/** Draws the current picture onto a canvas (scale 2 = sharp on projectors). */
export function drawPicture(svg: SVGSVGElement, canvas: HTMLCanvasElement, scale = 2): Promise<void> {
  const box = svg.viewBox.baseVal;
  const width = Math.round(box.width * scale);
  const height = Math.round(box.height * scale);
  canvas.width = width;
  canvas.height = height;
  // A data: URL, not a blob: one: the web mode's Content-Security-Policy allows img-src data: only.
  const url = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svgMarkup(svg, width, height))}`;
  return new Promise((resolve, reject) => {
    const image = new Image();
    image.onload = () => {
      canvas.getContext('2d')?.drawImage(image, 0, 0, width, height);
      resolve();
    };
    image.onerror = () => reject(new Error('the picture could not be rasterised'));
    image.src = url;
  });
}

export function download(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function exportName(extension: string, lessonId: string | null, seq: number | null): string {
  return `ipcscope-${lessonId ?? 'snapshot'}-${seq ?? 0}.${extension}`;
}
