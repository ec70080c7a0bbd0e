import { describe, expect, it } from 'vitest';
import type { TracesData } from '../../../../src/shared/ipc/contract';
import { buildTraceGeometry } from '../../../../src/renderer/views/TraceView/traceGeometry';
import { TRACE_COMMANDS } from '../../../../src/renderer/views/TraceView/traceCommands';

describe('TraceView origin (alt+o)', () => {
  const nCh = 4;
  const nTimes = 100;
  const data: TracesData = {
    generation: 1,
    t0: 0,
    t1: nTimes / 30000,
    channelIds: new Int32Array([0, 1, 2, 3]),
    mode: 'samples',
    nTimes,
    dt: 1 / 30000,
    data: new Float32Array(nTimes * nCh),
    unit: 'µV',
    spikes: { times: new Float32Array([0.001]), clusterIds: new Int32Array([7]), spikeIds: new Int32Array([0]), channels: new Int32Array([1]) },
  };
  const labels = new Int32Array([10, 11, 12, 13]);

  it('puts the first channel at the bottom by default and at the top with originTop', () => {
    const bottom = buildTraceGeometry(data, labels, [7], { gain: 1, allSpikes: true });
    const top = buildTraceGeometry(data, labels, [7], { gain: 1, allSpikes: true, originTop: true });
    const yOf = (g: typeof bottom, text: string) => g.labels.find((l) => l.text === text)!.y;
    expect(yOf(bottom, '10')).toBe(0);
    expect(yOf(bottom, '13')).toBe(3);
    expect(yOf(top, '10')).toBe(3);
    expect(yOf(top, '13')).toBe(0);
    // Spikes follow their channel's row (ctrl+click picking uses these).
    expect(bottom.spikeY[0]).toBe(1);
    expect(top.spikeY[0]).toBe(2);
  });

  it('is bound to alt+o in TraceView', () => {
    const cmd = TRACE_COMMANDS.find((c) => c.id === 'trace.switchOrigin');
    expect(cmd?.keys).toEqual(['alt+o']);
    expect(cmd?.view).toBe('TraceView');
  });
});
