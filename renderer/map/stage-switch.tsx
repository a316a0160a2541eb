import { actionTitle } from '../actions';
import { useT } from '../i18n/use-t';
import { useAppStore } from '../store/app-store';
import { selectShowsMap } from './map-selectors';

/** "Picture | Map" in the header: which drawing the stage shows (key M). */
export function StageSwitch() {
  const t = useT();
  const showsMap = useAppStore(selectShowsMap);
  const setStageView = useAppStore((s) => s.setStageView);
  const title = actionTitle('toggleMap', t);
  return (
    <div className="stage-switch" role="group" aria-label={t('viewSwitch')} title={title}>
      {(['picture', 'map'] as const).map((view) => (
        <button
          key={view}
          type="button"
          className="control small"
          data-testid={`view-${view}`}
          aria-pressed={(view === 'map') === showsMap}
          onClick={(e) => {
            e.currentTarget.blur();
            setStageView(view);
          }}
        >
          {t(view === 'map' ? 'viewMap' : 'viewPicture')}
        </button>
      ))}
    </div>
  );
}
