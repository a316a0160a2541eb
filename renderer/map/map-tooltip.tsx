import { blockedSentence, objectLabel, stateWord } from '../format/kernel-words';
import { fdCount, holderCount } from '../format/omitted-words';
import type { Translate } from '../i18n/strings';
import { DIAGNOSIS_TITLE } from '../panels/diagnoses-panel-words';
import { diagnosisSeverity } from '../picture/diagnosis-severity';
import type { MapTarget, Point } from './map-geometry';
import { fanHoldings, fanLines, kindList, objectLines, peerHeldOutside } from './map-labels';
import type { MapModel } from './map-view';

/** Most holders named in an object's tooltip; the inspector lists all. */
const MAX_HOLDERS = 6;

/** The diagnoses naming a process or an object, a notice saying it is no fault (its outline is amber and dashed). */
function diagnosisLines(model: MapModel, t: Translate, pid: number | null, id: string | null): string[] {
  return (model.frame.diagnoses ?? [])
    .filter((d) => (pid !== null && d.processes.includes(pid)) || (id !== null && d.objects.includes(id)))
    .map((d) => (diagnosisSeverity(d.kind) === 'notice' ? `${t(DIAGNOSIS_TITLE[d.kind])} · ${t('diagnosisNotice')}` : t(DIAGNOSIS_TITLE[d.kind])));
}

/** The lines a hovered item's tooltip shows, read from the model of the frame drawn. */
export function tooltipLines(target: MapTarget, model: MapModel, t: Translate): string[] {
  const { frame, groups } = model;
  if (target.type === 'process') {
    const p = frame.processes.find((q) => q.pid === target.pid);
    if (!p) return [];
    const lines = [`PID ${p.pid} (ppid ${p.ppid}) ${p.comm}`, `${stateWord(p, t)} (${p.state})`];
    if (p.blocked) lines.push(`${blockedSentence(p.blocked, t)} · ${t('wchan', { wchan: p.blocked.wchan })}`);
    lines.push(`${fdCount(p)} fd`, ...diagnosisLines(model, t, p.pid, null));
    return lines;
  }
  if (target.type === 'fan') {
    const fan = groups.units.find((u) => u.key === target.key);
    if (!fan || fan.kind !== 'fan') return [];
    const { head, counts } = fanLines(fan, t);
    const objects = kindList(fan.objectKinds, t);
    const holdings = fanHoldings(fan, t);
    return [head, counts, ...(holdings ? [holdings.text] : []), ...(objects ? [t('mapFanObjects', { list: objects })] : []), t(fan.expanded ? 'mapFanClose' : 'mapFanOpen')];
  }
  const o = frame.objects.find((q) => q.id === target.id);
  if (!o) return [];
  const peer = peerHeldOutside(o, groups.unitOf);
  const { detail } = objectLines(o, t, peer);
  const holders = o.holders.slice(0, MAX_HOLDERS).map((h) => `${h.pid}:fd ${h.fd} ${h.access}`);
  if (holderCount(o) > MAX_HOLDERS) holders.push(`+${holderCount(o) - MAX_HOLDERS}`);
  const held = holders.length ? t('mapHolders', { list: holders.join(', ') }) : t('mapNoHolders');
  return [objectLabel(o.id), ...(detail ? [detail] : []), held, ...(peer ? [t('mapPeerOutsideWhy')] : []), ...diagnosisLines(model, t, null, o.id)];
}

export function MapTooltip({ target, at, model, t }: { target: MapTarget; at: Point; model: MapModel; t: Translate }) {
  const lines = tooltipLines(target, model, t);
  if (lines.length === 0) return null;
  return (
    <div className="map-tooltip" data-testid="map-tooltip" role="tooltip" style={{ left: at.x + 14, top: at.y + 14 }}>
      {lines.map((line, i) => (
        <div key={i} className={i === 0 ? 'map-tooltip-head' : undefined}>
          {line}
        </div>
      ))}
    </div>
  );
}
