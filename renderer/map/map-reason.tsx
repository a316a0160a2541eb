import { useT } from '../i18n/use-t';
import { MAX_OBJECTS, MAX_PROCESSES } from '../picture/layout';
import { useAppStore } from '../store/app-store';
import { selectMapReasonKey } from './map-selectors';

/** Why the stage chose the map by itself ("8 objects: shown on the map"); nothing when the user chose it. */
export function MapReasonNote() {
  const t = useT();
  const key = useAppStore(selectMapReasonKey);
  if (key === null) return null;
  const [why, n] = key.split(':');
  const text = why === 'all' ? t('mapWhyAll') : t(why === 'processes' ? 'mapWhyProcesses' : 'mapWhyObjects', { n: Number(n) });
  return (
    <span className="map-reason" data-testid="map-reason" data-why={why} title={t('mapWhyTitle', { processes: MAX_PROCESSES, objects: MAX_OBJECTS })}>
      {text}
    </span>
  );
}
