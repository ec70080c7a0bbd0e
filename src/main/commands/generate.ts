/**
 * `spikedock generate <out> --preset small|medium|neuropixels [--format phy|analyzer|analyzer-zarr|nwb]`: writes a
 * realistic Kilosort/phy template folder, or the same data as a SpikeInterface SortingAnalyzer
 * binary_folder, with ground truth (tests, benchmarks, the demo dataset).
 */
import { PRESETS, isPresetName, type PresetOverrides } from '../../core/generate/presets';
import { DEFAULT_SEED, GenerateError, generateDataset } from '../generate/generateDataset';
import { SPIKEINTERFACE_VERSION } from '../generate/generateAnalyzer';
import { NWB_VERSION } from '../nwb/NwbWriter';
import { numberOption, parseArgs } from './args';
import type { Command } from './types';
import { UserError } from './types';

const presetNames = Object.keys(PRESETS).join('|');
const presetLines = Object.values(PRESETS)
  .map((p) => `  ${p.name.padEnd(17)} ${p.nChannels} channels${p.nShanks > 1 ? ` on ${p.nShanks} shanks` : ''}, ${p.duration >= 3600 ? `${p.duration / 3600} h` : p.duration >= 60 ? `${p.duration / 60} min` : `${p.duration} s`}, ~${p.targetSpikes.toLocaleString('en-US')} spikes, raw: ${p.defaultRawSeconds > 0 ? `first ${p.defaultRawSeconds} s` : 'none'}${p.streaming ? ' (streamed)' : ''}`)
  .join('\n');

const usage = `usage: spikedock generate <out> --preset ${presetNames} [--format phy|analyzer|analyzer-zarr|nwb] [--string-unit-ids] [--seed N] [--no-raw] [--raw-seconds S] [--no-pc-features] [--hours H] [--spikes N] [--clusters N] [--stream] [--json] [--quiet]

Writes a Kilosort/phy template folder generated from simulated units, with its ground truth
(ground_truth.json, ground_truth_units.npy): over-split, merged, contaminated, multi-unit and
noise clusters, drift, bursts, and a raw recording (recording.dat, int16).
With --format analyzer the same data (units = the phy folder's clusters) is written as a
SpikeInterface SortingAnalyzer binary_folder (layout of SpikeInterface ${SPIKEINTERFACE_VERSION}) with the
random_spikes, templates, template_similarity, spike_amplitudes, principal_components,
spike_locations and quality_metrics extensions.
With --format analyzer-zarr the same analyzer is written as the Zarr v2 store sorting_analyzer.zarr
(as SpikeInterface's save_as(format="zarr") writes it: Blosc zstd, consolidated metadata) with
recording.dat beside it.
With --format nwb it is written as sorting.nwb (NWB ${NWB_VERSION}, HDF5): a Units table (spike times,
electrodes, waveform_mean, the phy tables as columns), the electrodes table and, with raw data,
an ElectricalSeries.

${presetLines}

  --format F        phy (default), analyzer, analyzer-zarr, or nwb (sorting.nwb: NWB 2.x HDF5 with a Units table)
  --string-unit-ids analyzer, analyzer-zarr: unit ids "u<cluster id>" instead of the integer cluster ids
  --seed N          seed of the simulation (default ${DEFAULT_SEED}); same seed, same files
  --no-raw          do not write recording.dat (params.py still names it)
  --raw-seconds S   write only the first S seconds of recording.dat
  --no-pc-features  do not write pc_features.npy / pc_feature_ind.npy (phy format)
  --hours H         recording length in hours (spikes scale with it unless --spikes is given;
                    past 39.8 h = 2^32 samples needs the streaming path: chronic, or --stream)
  --spikes N        about N spikes in all (rates are scaled to it)
  --clusters N      about N clusters (every unit and sorting-error count is scaled)
  --stream          write with the streaming path (never holds a whole per-spike column; the
                    chronic preset always does; phy format only)
  --json            print the summary as one JSON object
  --quiet           no progress lines on stderr
`;

export const command: Command = {
  name: 'generate',
  summary: 'generate a Kilosort/phy folder, SpikeInterface analyzer or NWB file with ground truth (small, medium, neuropixels, …)',
  usage,
  async run(argv, io) {
    const args = parseArgs(argv, { values: ['preset', 'seed', 'raw-seconds', 'format', 'hours', 'spikes', 'clusters'], flags: ['raw', 'json', 'quiet', 'string-unit-ids', 'pc-features', 'stream'] });
    if (args.positionals.length !== 1) throw new UserError(`expected one output folder\n${usage}`, 2);
    const preset = args.values.get('preset');
    if (preset === undefined) throw new UserError(`--preset is required (${presetNames})`, 2);
    if (!isPresetName(preset)) throw new UserError(`unknown preset '${preset}' (${presetNames})`, 2);
    const seedText = args.values.get('seed');
    if (seedText !== undefined && !/^\d+$/.test(seedText)) throw new UserError(`--seed must be a non-negative integer (got '${seedText}')`, 2);
    const seed = seedText === undefined ? DEFAULT_SEED : Number(seedText);
    if (!Number.isSafeInteger(seed)) throw new UserError(`--seed is too large (got '${seedText}')`, 2);
    const rawSeconds = numberOption(args, 'raw-seconds', PRESETS[preset].defaultRawSeconds);
    if (rawSeconds < 0) throw new UserError(`--raw-seconds must be ≥ 0 (got ${rawSeconds})`, 2);
    const format = args.values.get('format') ?? 'phy';
    if (format !== 'phy' && format !== 'analyzer' && format !== 'analyzer-zarr' && format !== 'nwb') throw new UserError(`--format is phy, analyzer, analyzer-zarr or nwb (got '${format}')`, 2);
    const stringUnitIds = args.flags.get('string-unit-ids') === true;
    if (stringUnitIds && format !== 'analyzer' && format !== 'analyzer-zarr') throw new UserError('--string-unit-ids needs --format analyzer or analyzer-zarr', 2);
    const overrides: PresetOverrides = {};
    for (const name of ['hours', 'spikes', 'clusters'] as const) {
      if (!args.values.has(name)) continue;
      const v = numberOption(args, name, 0);
      if (!(v > 0)) throw new UserError(`--${name} must be > 0 (got ${args.values.get(name)})`, 2);
      overrides[name] = v;
    }
    const quiet = args.flags.get('quiet') === true;
    let summary;
    try {
      summary = await generateDataset(args.positionals[0], {
        preset,
        seed,
        raw: args.flags.get('raw') !== false,
        rawSeconds,
        format,
        stringUnitIds,
        overrides,
        pcFeatures: args.flags.get('pc-features') !== false,
        stream: args.flags.get('stream') === true,
        onProgress: quiet ? undefined : (msg) => io.stderr(`generate: ${msg}\n`),
      });
    } catch (e) {
      if (e instanceof GenerateError) throw new UserError(e.message);
      throw e;
    }
    if (args.flags.get('json')) {
      io.stdout(JSON.stringify(summary) + '\n');
    } else {
      const mb = (summary.bytes / 1e6).toFixed(1);
      io.stdout(
        [
          `${summary.outDir}: ${summary.format === 'analyzer' ? 'SpikeInterface analyzer (binary_folder), ' : summary.format === 'analyzer-zarr' ? 'SpikeInterface analyzer (zarr, sorting_analyzer.zarr), ' : summary.format === 'nwb' ? 'NWB file (sorting.nwb), ' : ''}preset ${summary.preset}, seed ${summary.seed}`,
          `  ${summary.nSpikes} spikes, ${summary.nClusters} clusters, ${summary.nTemplates} templates, ${summary.nChannels} channels (${summary.nChannelsDat} in the raw file)`,
          `  ${summary.duration} s at ${summary.sampleRate} Hz; raw data: ${summary.rawSeconds > 0 ? `first ${summary.rawSeconds} s` : 'none'}`,
          `  ${summary.files.length} files, ${mb} MB, ${(summary.elapsedMs / 1000).toFixed(1)} s`,
          '',
        ].join('\n'),
      );
    }
    return 0;
  },
};
