import { storage } from '../platform';
import { createStore, useStore } from '../store/store';

/**
 * 为TA办事: the elder a family member is acting for, chosen on 我的家人 and kept in storage so the
 * choice survives a restart. While set, the API client sends X-On-Behalf-Of on every request.
 */
export interface ProxyMode {
  elderId: string;
  /** Masked, as the link shows it (李*). */
  elderName: string;
}

const KEY = 'linli.proxyMode';
export const proxyModeStore = createStore<ProxyMode | undefined>(storage.get<ProxyMode>(KEY));

export function startProxyMode(mode: ProxyMode): void {
  storage.set(KEY, mode);
  proxyModeStore.set(mode);
}

export function stopProxyMode(): void {
  storage.remove(KEY);
  proxyModeStore.set(undefined);
}

export const useProxyMode = (): ProxyMode | undefined => useStore(proxyModeStore);
