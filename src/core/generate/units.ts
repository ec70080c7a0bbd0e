/**
 * The generator's true units (single units and the small units inside multi-unit clusters), the
 * sorting "errors" made on them (roles), and their firing rates. One `Stream.units` generator
 * draws units then roles, in that order, so the same seed gives the same units.
 */
import { Rng, Stream } from '../random';
import type { TrueUnit, UnitRole } from './buildDataset';
import type { PresetSpec } from './presets';
import type { Probe } from './probe';
import { perturbShape, randomShape, type UnitGeometry } from './waveforms';

/** The true units of a preset and the unit ids of each multi-unit cluster. */
export function makeUnits(spec: PresetSpec, urng: Rng, probe: Probe): { units: TrueUnit[]; muaMembers: number[][] } {
  const units: TrueUnit[] = [];
  for (let i = 0; i < spec.nSingleUnits; i++) {
    const shank = urng.int(spec.nShanks);
    const g = randomGeometry(urng, shank, urng.range(0, probe.shankHeight + 20));
    units.push(newUnit(spec, urng, units.length, 'single', g, Math.exp(urng.range(Math.log(50), Math.log(350))), urng.chance(0.1), urng.range(0.06, 0.14)));
  }
  const muaMembers: number[][] = [];
  for (let m = 0; m < spec.nMua; m++) muaMembers.push(addMuaMembers(spec, urng, probe, units, m));
  return { units, muaMembers };
}

/** A unit with its random shape, firing and amplitude parameters (role `single`, or `mua`). */
function newUnit(spec: PresetSpec, urng: Rng, id: number, kind: 'single' | 'mua', geometry: UnitGeometry, rawPeak: number, positive: boolean, jitter: number): TrueUnit {
  const fs = spec.sampleRate;
  const amplitude = urng.range(10, 30);
  const bursting = kind === 'single' && urng.chance(0.2);
  return {
    id,
    kind,
    role: kind === 'mua' ? 'mua' : 'single',
    geometry,
    shape: randomShape(urng, fs, positive),
    peakChannel: 0,
    rate: 0,
    refractorySamples: Math.round(urng.range(1.5, 2.0) * 1e-3 * fs),
    burstProbability: bursting ? urng.range(0.1, 0.3) : 0,
    amplitude,
    rawPeak,
    jitter,
    ampSlope: urng.normal() * 0.12,
    ampWobble: urng.range(0, 0.08),
    ampPeriod: spec.duration / urng.range(0.5, 4),
    ampPhase: urng.range(0, 2 * Math.PI),
    partner: -1,
    leakFraction: 0,
    muaIndex: -1,
    pieces: 1,
    splitTime: 0,
  };
}

/** A single unit's place: on `shank`, at height `y`, 8–35 µm from the probe. */
function randomGeometry(urng: Rng, shank: number, y: number): UnitGeometry {
  return {
    x: shank * 250 + urng.range(-5, 75),
    y,
    z: urng.range(8, 35),
    shank,
    lambda: urng.range(18, 35),
  };
}

/** The 3–5 small, far units of multi-unit cluster `m`, close together; returns their ids. */
function addMuaMembers(spec: PresetSpec, urng: Rng, probe: Probe, units: TrueUnit[], m: number): number[] {
  const shank = urng.int(spec.nShanks);
  const cy = urng.range(10, probe.shankHeight + 10);
  const cx = urng.range(10, 60);
  const members: number[] = [];
  const k = 3 + urng.int(3);
  for (let j = 0; j < k; j++) {
    const g: UnitGeometry = { x: shank * 250 + cx + urng.range(-15, 15), y: cy + urng.range(-25, 25), z: urng.range(25, 50), shank, lambda: urng.range(25, 40) };
    const u = newUnit(spec, urng, units.length, 'mua', g, urng.range(30, 60), false, urng.range(0.1, 0.2));
    u.muaIndex = m;
    members.push(u.id);
    units.push(u);
  }
  return members;
}

/** Single units not yet given a sorting-error role, ascending ids. */
class FreeUnits {
  private readonly free: number[] = [];

  constructor(
    private readonly units: TrueUnit[],
    private readonly urng: Rng,
  ) {
    for (const u of units) if (u.kind === 'single') this.free.push(u.id);
  }

  /** A random free unit, taken; −1 when none is left. */
  takeRandom(): number {
    if (this.free.length === 0) return -1;
    return this.free.splice(this.urng.int(this.free.length), 1)[0];
  }

  /** The free unit nearest to `a` on its shank (within 80 µm), taken; −1 when none. */
  takeNearest(a: number): number {
    const ua = this.units[a].geometry;
    let best = -1;
    let bestD = 80;
    for (const b of this.free) {
      const ub = this.units[b].geometry;
      if (ub.shank !== ua.shank) continue;
      const d = Math.hypot(ub.x - ua.x, ub.y - ua.y);
      if (d < bestD) {
        bestD = d;
        best = b;
      }
    }
    if (best >= 0) this.free.splice(this.free.indexOf(best), 1);
    return best;
  }

  /** Returns a taken unit to the pool. */
  putBack(a: number): void {
    this.free.push(a);
    this.free.sort((x, y) => x - y);
  }
}

/** Gives `role` to `count` random free units (fewer when they run out). */
function setRole(pool: FreeUnits, units: TrueUnit[], count: number, role: UnitRole, setup: (u: TrueUnit) => void): void {
  for (let i = 0; i < count; i++) {
    const a = pool.takeRandom();
    if (a < 0) return;
    units[a].role = role;
    setup(units[a]);
  }
}

/** Makes `count` partner pairs of nearby free units (20 tries each to find a unit with a neighbour). */
function pairUp(pool: FreeUnits, units: TrueUnit[], roleA: UnitRole, roleB: UnitRole, count: number, setup: (a: TrueUnit, b: TrueUnit) => void): void {
  for (let i = 0; i < count; i++) {
    for (let attempt = 0; attempt < 20; attempt++) {
      const a = pool.takeRandom();
      if (a < 0) return;
      const b = pool.takeNearest(a);
      if (b < 0) {
        pool.putBack(a);
        continue;
      }
      units[a].role = roleA;
      units[b].role = roleB;
      units[a].partner = b;
      units[b].partner = a;
      setup(units[a], units[b]);
      break;
    }
  }
}

/**
 * Gives single units their sorting-error roles (over-split by time or amplitude, auto-merged,
 * merged pairs, contaminated pairs) and adds the near-twin distractor units, drawing from `urng`
 * after {@link makeUnits}.
 */
export function assignRoles(spec: PresetSpec, units: TrueUnit[], urng: Rng): void {
  const T = spec.duration;
  const pool = new FreeUnits(units, urng);
  const timeSplit = (u: TrueUnit): void => {
    u.pieces = 2;
    u.splitTime = T * urng.range(0.35, 0.65);
    u.ampSlope = (urng.chance(0.5) ? 1 : -1) * urng.range(0.35, 0.5);
  };
  setRole(pool, units, spec.nOverSplitTime, 'overSplitTime', timeSplit);
  setRole(pool, units, spec.nAutoMerged, 'autoMerged', timeSplit);
  setRole(pool, units, spec.nOverSplitAmplitude, 'overSplitAmplitude', (u) => {
    u.pieces = urng.chance(0.5) ? 3 : 2;
    u.jitter = urng.range(0.2, 0.26);
  });
  pairUp(pool, units, 'merged', 'merged', spec.nMergedPairs, () => undefined);
  pairUp(pool, units, 'contaminated', 'contaminating', spec.nContaminated, (_host, b) => {
    b.leakFraction = urng.range(0.05, 0.2);
  });
  for (let i = 0; i < spec.nDistractors; i++) {
    const host = pool.takeRandom();
    if (host < 0) break;
    addDistractor(spec, urng, units, units[host]);
  }
}

/**
 * A near-twin of `host` (which stays a clean single unit): a new unit 3–8 µm away along the
 * probe (and ≤ 3 µm across), at about the same distance from it, with the host's waveform
 * perturbed as an over-split template is ({@link perturbShape}) and an amplitude within ±15 %, so
 * that its template is as similar to the host's as an over-split pair's (≈ 0.9–0.99); its spike
 * train is its own (a different neuron), so merging the two breaks the refractory period.
 */
function addDistractor(spec: PresetSpec, urng: Rng, units: TrueUnit[], host: TrueUnit): void {
  const h = host.geometry;
  const g: UnitGeometry = {
    x: h.x + urng.range(-3, 3),
    y: h.y + (urng.chance(0.5) ? 1 : -1) * urng.range(3, 8),
    z: h.z * urng.range(0.9, 1.1),
    shank: h.shank,
    lambda: h.lambda * urng.range(0.95, 1.05),
  };
  const u = newUnit(spec, urng, units.length, 'single', g, host.rawPeak * urng.range(0.85, 1.15), host.shape.sign > 0, host.jitter);
  u.shape = perturbShape(urng, host.shape);
  u.amplitude = host.amplitude * urng.range(0.85, 1.15);
  u.role = 'distractor';
  u.partner = host.id;
  host.partner = u.id;
  units.push(u);
}

/**
 * Rates: log-normal, clipped to `minRate` (0.5 Hz by default)–30 Hz, median scaled to the target spike count (noise
 * sources take 5 % of it). Sets each unit's `rate`; returns the noise sources' rates, Hz.
 */
export function assignRates(spec: PresetSpec, seed: number, units: TrueUnit[]): number[] {
  const T = spec.duration;
  const rrng = new Rng(seed, Stream.rates);
  const nNoise = spec.nNoise;
  const noiseBudget = 0.05 * spec.targetSpikes;
  const noiseRates = Array.from({ length: nNoise }, () => (noiseBudget / (nNoise * T)) * rrng.range(0.5, 1.5));
  const z = units.map(() => rrng.normal());
  // Errors must be visible: a split or leaking unit needs a few hundred spikes (≥ 240, at ≥ 1 Hz
  // with the default 0.5 Hz floor).
  const minRate = spec.minRate ?? 0.5;
  const errorFloor = Math.max(2 * minRate, 240 / T);
  const floorOf = units.map((u) => {
    if (u.role === 'overSplitTime' || u.role === 'overSplitAmplitude' || u.role === 'autoMerged' || u.role === 'contaminating' || u.role === 'contaminated') return errorFloor;
    // A distractor and its host must fire enough for their pair to be judged (a refractory violation or not).
    if (u.role === 'distractor' || (u.partner >= 0 && units[u.partner].role === 'distractor')) return errorFloor;
    return u.kind === 'mua' ? 2 * minRate : minRate;
  });
  const rateOf = (median: number, i: number): number => Math.min(30, Math.max(floorOf[i], median * Math.exp(0.9 * z[i])));
  const unitBudget = spec.targetSpikes - noiseRates.reduce((s, r) => s + r * T, 0);
  let lo = Math.log(Math.min(0.01, minRate));
  let hi = Math.log(100);
  for (let it = 0; it < 60; it++) {
    const mid = (lo + hi) / 2;
    let total = 0;
    for (let i = 0; i < units.length; i++) total += rateOf(Math.exp(mid), i) * T;
    if (total < unitBudget) lo = mid;
    else hi = mid;
  }
  const median = Math.exp((lo + hi) / 2);
  for (const u of units) u.rate = rateOf(median, u.id);

  return noiseRates;
}
