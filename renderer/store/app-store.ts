import { create } from 'zustand';
import { createGraphSlice, graphInitial, type GraphSlice } from './graph-slice';
import { createPanelSlice, panelInitial, type PanelSlice } from './panel-slice';
import { createSessionSlice, sessionInitial, type SessionSlice } from './session-slice';
import { createTimelineSlice, timelineInitial, type TimelineSlice } from './timeline-slice';
import { createViewSlice, viewDefaults, type ViewSlice } from './view-slice';

export type AppStore = SessionSlice & GraphSlice & TimelineSlice & ViewSlice & PanelSlice;

export const useAppStore = create<AppStore>()((...a) => ({
  ...createSessionSlice(...a),
  ...createGraphSlice(...a),
  ...createTimelineSlice(...a),
  ...createViewSlice(...a),
  ...createPanelSlice(...a),
}));

/** Back to a fresh store (tests): data only, the actions stay. */
export function resetStores(): void {
  useAppStore.setState({
    ...sessionInitial,
    ...graphInitial,
    ...timelineInitial,
    ...viewDefaults,
    ...panelInitial,
    selection: null,
    stageView: 'auto',
    stageBox: null,
  });
}
