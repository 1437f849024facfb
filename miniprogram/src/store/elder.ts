import { applyRootClass, fontScale, storage } from '../platform';
import { createStore, useStore } from './store';

/**
 * Elder-friendly mode (适老化): one switch, kept in storage, applied by PageShell as the root
 * class `elder` of every page. Until the person chooses, it follows a large system font.
 */
const KEY = 'linli.elder';
export const ELDER_CLASS = 'elder';

const initial = storage.get<boolean>(KEY) ?? fontScale() >= 1.25;
export const elderStore = createStore<boolean>(initial);
applyRootClass(ELDER_CLASS, initial);

export function setElderMode(on: boolean): void {
  storage.set(KEY, on);
  applyRootClass(ELDER_CLASS, on);
  elderStore.set(on);
}

export const useElderMode = (): boolean => useStore(elderStore);
