import type { StateCreator } from 'zustand';
import type { AppStore } from './app-store';

/** Which tab the side column shows under the code pane. */
export type SideTab = 'steps' | 'claims' | 'details' | 'diagnoses' | 'kernel';

/** UI-only state of the panels: nothing here is sent to the engine. */
export interface PanelSlice {
  helpOpen: boolean;
  /** The lesson chooser shown over the picture (it is also the first-start screen). */
  chooserOpen: boolean;
  sideTab: SideTab;
  /** Step whose verdict the learner dismissed (a later verdict shows again). */
  dismissedVerdict: number | null;
  setHelpOpen(open: boolean): void;
  setChooserOpen(open: boolean): void;
  setSideTab(tab: SideTab): void;
  dismissVerdict(step: number): void;
}

export const panelInitial = { helpOpen: false, chooserOpen: false, sideTab: 'steps' as SideTab, dismissedVerdict: null as number | null };

export const createPanelSlice: StateCreator<AppStore, [], [], PanelSlice> = (set) => ({
  ...panelInitial,
  setHelpOpen: (helpOpen) => set({ helpOpen }),
  setChooserOpen: (chooserOpen) => set({ chooserOpen }),
  setSideTab: (sideTab) => set({ sideTab }),
  dismissVerdict: (dismissedVerdict) => set({ dismissedVerdict }),
});

export const selectHelpOpen = (s: AppStore): boolean => s.helpOpen;
export const selectChooserOpen = (s: AppStore): boolean => s.chooserOpen;
export const selectSideTab = (s: AppStore): SideTab => s.sideTab;
export const selectDismissedVerdict = (s: AppStore): number | null => s.dismissedVerdict;
