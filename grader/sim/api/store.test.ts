import { describe, expect, it } from 'vitest';
import { ObjectStore } from './store.ts';

describe('stored objects are immutable', () => {
  it('freezes what it stores under tests (KUBELAB_FREEZE_STORE), so an edit in place throws', () => {
    expect(process.env.KUBELAB_FREEZE_STORE).toBe('1');
    const store = new ObjectStore();
    const stored = store.put({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'default' }, data: { k: 'v' } });
    expect(() => {
      (stored.data as Record<string, string>).k = 'changed';
    }).toThrow(TypeError);
  });

  it('freezeAll freezes every stored object deeply (what a fork does before sharing them)', () => {
    ObjectStore.freezeOnWrite = false; // as in production
    try {
      const store = new ObjectStore();
      store.put({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'default' }, data: { k: 'v' } });
      const stored = store.get('ConfigMap', 'default', 'c')!;
      expect(Object.isFrozen(stored.data)).toBe(false);
      store.freezeAll();
      expect(Object.isFrozen(stored)).toBe(true);
      expect(Object.isFrozen(stored.data)).toBe(true);
      expect(Object.isFrozen(stored.metadata)).toBe(true);
    } finally {
      ObjectStore.freezeOnWrite = true;
    }
  });
});
