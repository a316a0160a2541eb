import { useEffect, useMemo, useRef, useState } from 'react';
import type { Frame } from '../../native-bridge/model/frame-types';
import type { ObjectKind } from '../../native-bridge/model/snapshot-types';
import { useT } from '../i18n/use-t';
import { useObserveStore } from '../observe/observe-store';
import { summarize } from '../observe/recent-traffic';
import { paletteFor } from '../picture/palette';
import { useAppStore } from '../store/app-store';
import { selectLecture, selectSelection, selectTheme } from '../store/selectors';
import { MapController } from './map-controller';
import type { MapLayout, MapTarget, Point } from './map-geometry';
import type { MapGroups } from './map-group';
import { fanSummary, kindName } from './map-labels';
import { mapFrame, plumbingLeftOut } from './map-lesson-frame';
import { MapReasonNote } from './map-reason';
import { searchProcesses } from './map-search';
import { useCmdlineMatches } from './use-cmdline-matches';
import { mapObjectCount } from './map-selectors';
import { MapTooltip } from './map-tooltip';
import './map.css';

export interface MapModel {
  groups: MapGroups;
  layout: MapLayout;
  frame: Frame;
}

/**
 * The system map: a canvas (painted by MapController, the one owner of its
 * pixels) with a search box, kind filters, a tooltip, and a hidden list of
 * the groups it shows (for screen readers, and for tests, which read the
 * model rather than pixels).
 */
/** What the React part shows of a model: counts, fans and their states, kinds. Equal signatures, nothing to re-render. */
function modelSignature({ groups, frame }: MapModel): string {
  const fans = groups.units.map((u) => (u.kind === 'fan' ? `${u.key}/${u.expanded}/${JSON.stringify(u.counts)}/${JSON.stringify(u.objectKinds)}` : '')).join('|');
  const kinds = [...new Set(frame.objects.map((o) => o.kind))].sort().join(',');
  return `${frame.processes.length}/${frame.objects.length}/${plumbingLeftOut(frame)}/${kinds}/${fans}`;
}

export function SystemMap() {
  const t = useT();
  const theme = useAppStore(selectTheme);
  const lecture = useAppStore(selectLecture);
  const selection = useAppStore(selectSelection);
  const select = useAppStore((s) => s.select);
  const canvasRef = useRef<HTMLCanvasElement | null>(null);
  const controllerRef = useRef<MapController | null>(null);
  const [model, setModel] = useState<MapModel | null>(null);
  /** The latest model, also between re-renders: the tooltip and the search read it. */
  const modelRef = useRef<MapModel | null>(null);
  const signatureRef = useRef('');
  const [hover, setHover] = useState<{ target: MapTarget; at: Point } | null>(null);
  const [query, setQuery] = useState('');
  /** The match list shows while typing; picking a match closes it (the query stays in the box). */
  const [listOpen, setListOpen] = useState(false);
  const [hiddenKinds, setHiddenKinds] = useState<ReadonlySet<ObjectKind>>(new Set());
  const palette = useMemo(() => paletteFor(theme, lecture), [theme, lecture]);
  // Command lines are not in frames: the engine is asked which of the map's PIDs match, after a pause in typing.
  const byCmdline = useCmdlineMatches(query, () => modelRef.current?.frame.processes.map((p) => p.pid) ?? []);
  // The latest frame (modelRef) is searched whenever the query, the shape of the model or the engine's answer changes.
  const matches = useMemo(() => (modelRef.current ? searchProcesses(modelRef.current.frame.processes, query, byCmdline) : []), [model, query, byCmdline]);
  const matchPids = useMemo(() => new Set(matches.map((p) => p.pid)), [matches]);
  const look = useMemo(() => ({ palette, t, selection, matches: matchPids, hiddenKinds }), [palette, t, selection, matchPids, hiddenKinds]);
  const lookRef = useRef(look);
  lookRef.current = look;

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return undefined;
    const controller = new MapController(canvas, lookRef.current, {
      // React re-renders (toolbar, hidden list) only when what they show changed, not on every frame.
      onModel: (groups, layout, frame) => {
        const next = { groups, layout, frame };
        modelRef.current = next;
        const signature = modelSignature(next);
        if (signature !== signatureRef.current) {
          signatureRef.current = signature;
          setModel(next);
        }
      },
      // The tooltip sits in the map's box, the canvas under the toolbar: shift by the canvas's offset.
      onHover: (target, at) => setHover(target && at ? { target, at: { x: at.x + canvas.offsetLeft, y: at.y + canvas.offsetTop } } : null),
      onSelect: (id) => useAppStore.getState().select(id),
    });
    controllerRef.current = controller;
    controller.setFrame(mapFrame(useAppStore.getState().frame));
    // Observing (no lesson): the side column's useful tab is the inspector.
    if (!useAppStore.getState().frame?.lesson) useAppStore.getState().setSideTab('details');
    // Frames reach the canvas outside React: the store only marks the controller dirty.
    const off = useAppStore.subscribe((state, previous) => {
      if (state.frame !== previous.frame) controller.setFrame(mapFrame(state.frame));
    });
    // Traffic between frames likewise: summed here, drawn by the controller.
    const samples = useObserveStore.getState().traffic;
    controller.setTraffic(samples.length ? summarize(samples) : null);
    const offTraffic = useObserveStore.subscribe((state, previous) => {
      if (state.traffic !== previous.traffic) controller.setTraffic(state.traffic.length ? summarize(state.traffic) : null);
    });
    return () => {
      off();
      offTraffic();
      controller.dispose();
      controllerRef.current = null;
    };
  }, []);
  useEffect(() => controllerRef.current?.setLook(look), [look]);

  const fans = model?.groups.units.filter((u) => u.kind === 'fan') ?? [];
  const kinds = useMemo(() => [...new Set(model?.frame.objects.map((o) => o.kind) ?? [])].sort(), [model]);
  const reveal = (pid: number) => {
    controllerRef.current?.reveal(pid);
    select(`process:${pid}`);
    setListOpen(false);
  };
  const shownObjects = model ? model.frame.objects.filter((o) => !hiddenKinds.has(o.kind)).length : 0;

  return (
    <div className="system-map" data-testid="system-map">
      <div className="map-toolbar">
        <label className="map-search">
          <span className="visually-hidden">{t('mapSearchLabel')}</span>
          <input
            type="search"
            data-testid="map-search"
            placeholder={t('mapSearch')}
            title={t('mapSearchHint')}
            aria-label={t('mapSearchLabel')}
            aria-description={t('mapSearchHint')}
            value={query}
            onChange={(e) => {
              setQuery(e.currentTarget.value);
              setListOpen(true);
            }}
            onFocus={() => setListOpen(true)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && matches[0]) reveal(matches[0].pid);
              if (e.key === 'Escape') {
                setQuery('');
                setListOpen(false);
              }
            }}
          />
        </label>
        <div className="map-kinds" role="group" aria-label={t('mapKinds')}>
          {kinds.map((kind) => (
            <button
              key={kind}
              type="button"
              className="control small"
              data-testid={`map-kind-${kind}`}
              aria-pressed={!hiddenKinds.has(kind)}
              title={kindName(kind, t)}
              onClick={() => {
                const next = new Set(hiddenKinds);
                if (next.has(kind)) next.delete(kind);
                else next.add(kind);
                setHiddenKinds(next);
              }}
            >
              {kind}
            </button>
          ))}
        </div>
        <button type="button" className="control small" data-testid="map-fit" onClick={() => controllerRef.current?.refit()}>
          {t('mapFit')}
        </button>
        <button type="button" className="control small" data-testid="map-compact" title={t('mapCompactTitle')} onClick={() => controllerRef.current?.compact()}>
          {t('mapCompact')}
        </button>
        <MapReasonNote />
        <span className="map-summary" data-testid="map-summary">
          {!model
            ? t('mapEmpty')
            : hiddenKinds.size
              ? t('mapSummaryHidden', { processes: model.frame.processes.length, objects: shownObjects, hidden: mapObjectCount(model.frame) - shownObjects, fans: fans.length })
              : t('mapSummary', { processes: model.frame.processes.length, objects: mapObjectCount(model.frame), fans: fans.length })}
          {model && plumbingLeftOut(model.frame) > 0 && (
            <span data-testid="map-plumbing" title={t('mapPlumbingTitle')}>
              {t('mapPlumbing', { n: plumbingLeftOut(model.frame) })}
            </span>
          )}
        </span>
      </div>
      {listOpen && query.trim() !== '' && (
        <ul className="map-matches" data-testid="map-matches">
          {matches.length === 0 && <li className="empty">{t('mapNoMatch', { q: query.trim() })}</li>}
          {matches.map((p) => (
            <li key={p.pid}>
              <button type="button" data-testid={`map-match-${p.pid}`} onClick={() => reveal(p.pid)} title={byCmdline.get(p.pid)}>
                {`${p.pid} ${p.comm}`}
                {byCmdline.has(p.pid) && !p.comm.toLowerCase().includes(query.trim().toLowerCase()) && (
                  <span className="map-match-cmdline" data-testid={`map-match-cmdline-${p.pid}`}>
                    {` · ${t('mapMatchCmdline')}: ${byCmdline.get(p.pid)}`}
                  </span>
                )}
              </button>
            </li>
          ))}
        </ul>
      )}
      <canvas ref={canvasRef} className="map-canvas" data-testid="map-canvas" role="img" aria-label={t('mapLabel')} />
      {hover && modelRef.current && <MapTooltip target={hover.target} at={hover.at} model={modelRef.current} t={t} />}
      <ul className="visually-hidden" data-testid="map-fans">
        {fans.map((fan) => {
          if (fan.kind !== 'fan') return null;
          return (
            <li
              key={fan.key}
              data-testid={`map-fan-${fan.key}`}
              data-total={fan.counts.total}
              data-blocked={fan.counts.blockedTotal}
              data-blocked-read={fan.counts.blocked.read ?? 0}
              data-running={fan.counts.running}
              data-queued={fan.counts.holdingQueued}
              data-write-ends={fan.writeEnds.total}
              data-write-ends-max={fan.writeEnds.max}
              data-expanded={fan.expanded}
            >
              <button type="button" onClick={() => controllerRef.current?.toggleFan(fan.key)}>
                {fanSummary(fan, t)}
              </button>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
