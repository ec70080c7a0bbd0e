/**
 * applySnapshotMeta: the one place the store copies the backend's session snapshot (everything
 * but generation and clusters) into `AppState.session`.
 */
import { describe, expect, it } from 'vitest';
import { applySnapshotMeta, initialAppState } from '../../../../src/renderer/store/AppState';
import type { SessionSnapshot } from '../../../../src/shared/ipc/contract';
import { clusterInfo } from '../clusterInfo';

function snapshot(over: Partial<SessionSnapshot> = {}): SessionSnapshot {
  return {
    generation: 7,
    clusters: [clusterInfo(1)],
    labelColumns: ['group', 'quality'],
    canUndo: true,
    canRedo: false,
    dirty: true,
    lastSavedAt: '2026-01-02T03:04:05Z',
    autosaveSeconds: 30,
    journalPath: '/data/.spikedock/journal.jsonl',
    ...over,
  };
}

describe('applySnapshotMeta', () => {
  it('copies every meta field of the snapshot and keeps the store-only fields', () => {
    const s = { ...initialAppState().session, lastAction: 'Merge 1, 2 → 3', busy: true };
    const snap = snapshot();
    applySnapshotMeta(s, snap);
    const { generation: _generation, clusters: _clusters, ...meta } = snap;
    expect(s).toEqual({ ...meta, lastAction: 'Merge 1, 2 → 3', busy: true });
    expect(s).not.toHaveProperty('generation');
    expect(s).not.toHaveProperty('clusters');
  });

  it('carries a field added to the snapshot into the store without a hand-written copy', () => {
    const s = initialAppState().session;
    // A field the contract does not have yet: stands for the next one added to SessionSnapshot.
    applySnapshotMeta(s, { ...snapshot(), readOnly: true } as SessionSnapshot);
    expect((s as unknown as Record<string, unknown>).readOnly).toBe(true);
  });

  it('keeps the identity of an unchanged array (labelColumns)', () => {
    const s = initialAppState().session;
    applySnapshotMeta(s, snapshot());
    const cols = s.labelColumns;
    applySnapshotMeta(s, snapshot({ labelColumns: ['group', 'quality'], dirty: false }));
    expect(s.labelColumns).toBe(cols);
    expect(s.dirty).toBe(false);
    applySnapshotMeta(s, snapshot({ labelColumns: ['group'] }));
    expect(s.labelColumns).toEqual(['group']);
  });
});
