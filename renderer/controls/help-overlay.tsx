import { useEffect } from 'react';
import { ACTIONS, type ActionName } from '../actions';
import { useT } from '../i18n/use-t';
import { OBSERVE_KEY } from '../observe/use-observe-shortcut';
import { useAppStore } from '../store/app-store';
import { selectHelpOpen } from '../store/panel-slice';

/** play and pause share Space with togglePlay; the four answers are listed as one row. */
const LISTED: ActionName[] = ['togglePlay', 'step', 'stepBack', 'restart', 'slower', 'faster', 'questions', 'toggleMap', 'help'];

/** Every keyboard shortcut, read from the ACTIONS table ("?" opens it, Esc closes it). */
export function HelpOverlay() {
  const t = useT();
  const open = useAppStore(selectHelpOpen);
  const setOpen = useAppStore((s) => s.setHelpOpen);
  useEffect(() => {
    if (!open) return undefined;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') setOpen(false);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [open, setOpen]);
  if (!open) return null;
  return (
    <div className="overlay" data-testid="help-overlay" role="dialog" aria-modal="true" aria-labelledby="help-title" onClick={() => setOpen(false)}>
      <div className="overlay-card" onClick={(e) => e.stopPropagation()}>
        <div className="chooser-head">
          <h2 id="help-title">{t('help')}</h2>
          <button type="button" className="control small" data-testid="help-close" onClick={() => setOpen(false)}>
            {t('close')} (Esc)
          </button>
        </div>
        <dl className="shortcuts">
          {LISTED.map((name) => (
            <div key={name} data-testid={`shortcut-${name}`}>
              <dt>
                <kbd>{ACTIONS[name].keyHint}</kbd>
              </dt>
              <dd>{name === 'togglePlay' ? `${t('play')} / ${t('pause')}` : t(ACTIONS[name].label, ACTIONS[name].labelValues)}</dd>
            </div>
          ))}
          <div data-testid="shortcut-answers">
            <dt>
              <kbd>1</kbd>–<kbd>4</kbd>
            </dt>
            <dd>{t('predict')}</dd>
          </div>
          <div data-testid="shortcut-observe">
            <dt>
              <kbd>{OBSERVE_KEY.toUpperCase()}</kbd>
            </dt>
            <dd>{t('obsShortcut')}</dd>
          </div>
        </dl>
      </div>
    </div>
  );
}
