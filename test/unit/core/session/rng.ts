import { Rng } from '../../../../src/core/random';

/** Deterministic numbers in [0, 1) from the project's one generator, so random tests reproduce. */
export function rng(seed: number): () => number {
  const r = new Rng(seed);
  return () => r.uniform();
}
