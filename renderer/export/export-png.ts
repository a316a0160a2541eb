import { download, drawPicture, exportName, pictureSvg } from './svg-raster';

/** Saves the picture as it is on screen now as a PNG. */
export async function exportPng(lessonId: string | null, seq: number | null): Promise<void> {
  const svg = pictureSvg();
  if (!svg) throw new Error('no picture to export yet');
  const canvas = document.createElement('canvas');
  await drawPicture(svg, canvas);
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
  if (!blob) throw new Error('the browser could not encode a PNG');
  download(blob, exportName('png', lessonId, seq));
}
