import { animationClock } from '../clock/animation-clock';
import { download, drawPicture, exportName, pictureSvg } from './svg-raster';

/** MediaRecorder with a WebM codec the browser will actually encode, or null. */
export function webmMimeType(): string | null {
  if (typeof MediaRecorder === 'undefined' || typeof HTMLCanvasElement === 'undefined') return null;
  if (!('captureStream' in HTMLCanvasElement.prototype)) return null;
  for (const type of ['video/webm;codecs=vp9', 'video/webm;codecs=vp8', 'video/webm']) {
    if (MediaRecorder.isTypeSupported(type)) return type;
  }
  return null;
}

export interface Recording {
  stop(): void;
}

/**
 * Records the picture: each animation frame the SVG is drawn onto a canvas
 * whose stream feeds a MediaRecorder; stop() downloads the WebM.
 */
export function startRecording(name: () => { lessonId: string | null; seq: number | null }): Recording {
  const mimeType = webmMimeType();
  if (!mimeType) throw new Error('MediaRecorder with WebM is not available in this browser');
  const canvas = document.createElement('canvas');
  const stream = canvas.captureStream(30);
  const recorder = new MediaRecorder(stream, { mimeType, videoBitsPerSecond: 6_000_000 });
  const chunks: Blob[] = [];
  recorder.ondataavailable = (e) => {
    if (e.data.size > 0) chunks.push(e.data);
  };
  recorder.onstop = () => {
    const { lessonId, seq } = name();
    download(new Blob(chunks, { type: 'video/webm' }), exportName('webm', lessonId, seq));
  };
  const clock = animationClock();
  let drawing = false;
  let running = true;
  let id = 0;
  const tick = () => {
    if (!running) return;
    const svg = pictureSvg();
    if (svg && !drawing) {
      drawing = true;
      // A frame that fails to rasterise is skipped; the recording goes on with the next one.
      drawPicture(svg, canvas, 1.5)
        .catch(() => undefined)
        .finally(() => {
          drawing = false;
        });
    }
    id = clock.request(tick);
  };
  tick();
  recorder.start(500);
  return {
    stop() {
      running = false;
      clock.cancel(id);
      recorder.stop();
      stream.getTracks().forEach((track) => track.stop());
    },
  };
}
