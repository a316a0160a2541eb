import { useT } from '../i18n/use-t';
import { MAX_OBJECTS, MAX_PROCESSES } from '../picture/layout';
import { useAppStore } from '../store/app-store';
import { selectMapReasonKey } from './map-selectors';

/** Why the stage chose the map by itself ("8 objects: shown on the map", "4 objects: the picture's text would be 6 px here, ..."); nothing when the user chose it. */
export function MapReasonNote() {
  const t = useT();
  const key = useAppStore(selectMapReasonKey);
  if (key === null) return null;
  const [why, n, px] = key.split(':');
  const text =
    why === 'all'
      ? t('mapWhyAll')
      : why === 'small-text'
        ? t('mapWhySmallText', { n: Number(n), px: Number(px) })
        : t(why === 'processes' ? 'mapWhyProcesses' : 'mapWhyObjects', { n: Number(n) });
  return (
    <span className="map-reason" data-testid="map-reason" data-why={why} title={t('mapWhyTitle', { processes: MAX_PROCESSES, objects: MAX_OBJECTS })}>
      {text}
    </span>
  );
}
