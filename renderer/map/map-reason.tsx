import { useT } from '../i18n/use-t';
import { MAX_OBJECTS, MAX_PROCESSES } from '../picture/layout';
import { useAppStore } from '../store/app-store';
import { selectMapReasonKey } from './map-selectors';

/**
 * Why the stage chose the map by itself ("more than 6 objects: shown on the
 * map", "the picture's text would be 6 px here: ..."); nothing when the user
 * chose it. It names the picture's limit, not the count: the map's summary
 * beside it gives the counts, once.
 */
export function MapReasonNote() {
  const t = useT();
  const key = useAppStore(selectMapReasonKey);
  if (key === null) return null;
  const [why, , px] = key.split(':');
  const text =
    why === 'all'
      ? t('mapWhyAll')
      : why === 'small-text'
        ? t('mapWhySmallText', { px: Number(px) })
        : why === 'processes'
          ? t('mapWhyProcesses', { max: MAX_PROCESSES })
          : t('mapWhyObjects', { max: MAX_OBJECTS });
  return (
    <span className="map-reason" data-testid="map-reason" data-why={why} title={t('mapWhyTitle', { processes: MAX_PROCESSES, objects: MAX_OBJECTS })}>
      {text}
    </span>
  );
}
