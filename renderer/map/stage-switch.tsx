import { actionTitle } from '../actions';
import { useT } from '../i18n/use-t';
import { selectHasRace, selectRaceShown } from '../race/race-chart';
import { useAppStore } from '../store/app-store';
import { selectShowsMap } from './map-selectors';

/** "Picture | Map" in the header (and "Chart" once the IPC race has numbers): which drawing the stage shows (key M). */
export function StageSwitch() {
  const t = useT();
  const showsMap = useAppStore(selectShowsMap);
  const hasRace = useAppStore(selectHasRace);
  const raceShown = useAppStore(selectRaceShown);
  const setStageView = useAppStore((s) => s.setStageView);
  const views = hasRace ? (['picture', 'map', 'chart'] as const) : (['picture', 'map'] as const);
  const pressed = raceShown ? 'chart' : showsMap ? 'map' : 'picture';
  const title = actionTitle('toggleMap', t);
  return (
    <div className="stage-switch" role="group" aria-label={t('viewSwitch')} title={title}>
      {views.map((view) => (
        <button
          key={view}
          type="button"
          className="control small"
          data-testid={`view-${view}`}
          aria-pressed={view === pressed}
          onClick={(e) => {
            e.currentTarget.blur();
            setStageView(view);
          }}
        >
          {t(view === 'map' ? 'viewMap' : view === 'chart' ? 'viewChart' : 'viewPicture')}
        </button>
      ))}
    </div>
  );
}
