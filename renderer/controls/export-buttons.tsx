import { useRef, useState } from 'react';
import { exportPng } from '../export/export-png';
import { startRecording, webmMimeType, type Recording } from '../export/record-webm';
import { useT } from '../i18n/use-t';
import { useAppStore } from '../store/app-store';
import { selectFrameSeq, selectLessonId } from '../store/selectors';

/** Names an export after what is on screen: the lesson and the frame seq. */
function currentName() {
  const state = useAppStore.getState();
  return { lessonId: selectLessonId(state), seq: selectFrameSeq(state) };
}

/** PNG of the picture now; WebM of the picture over time where MediaRecorder exists. */
export function ExportButtons() {
  const t = useT();
  const [recording, setRecording] = useState(false);
  const recorder = useRef<Recording | null>(null);
  const canRecord = webmMimeType() !== null;
  const fail = (error: unknown) => useAppStore.setState({ commandError: error instanceof Error ? error.message : String(error) });
  return (
    <div className="setting export">
      <button
        type="button"
        className="control small"
        data-testid="export-png"
        title={t('exportPng')}
        onClick={() => {
          const { lessonId, seq } = currentName();
          exportPng(lessonId, seq).catch(fail);
        }}
      >
        ⤓ <span className="control-label">{t('exportPng')}</span>
      </button>
      <button
        type="button"
        className={`control small${recording ? ' recording' : ''}`}
        data-testid="record-webm"
        disabled={!canRecord}
        title={canRecord ? t('recordWebm') : t('recordUnsupported')}
        aria-pressed={recording}
        onClick={() => {
          if (recorder.current) {
            recorder.current.stop();
            recorder.current = null;
            setRecording(false);
            return;
          }
          try {
            recorder.current = startRecording(currentName);
            setRecording(true);
          } catch (error) {
            fail(error);
          }
        }}
      >
        {recording ? '■' : '●'} <span className="control-label">{recording ? t('stopRecording') : t('recordWebm')}</span>
      </button>
    </div>
  );
}
