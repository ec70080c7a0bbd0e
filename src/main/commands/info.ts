/**
 * `spikedock info <folder | params.py | file.kwik | analyzer folder | file.nwb>`: what a dataset holds and everything found
 * wrong or missing while opening it, without starting the app.
 */
import { formatDiagnostic } from '../../core/diagnostics';
import { clusterSpikeCounts, countClusterGroups, rawStatus } from '../../core/dataset/datasetInfo';
import type { Dataset } from '../../core/dataset/Dataset';
import { openDataset } from '../openDataset';
import { parseArgs } from './args';
import type { Command } from './types';
import { UserError } from './types';

/** How each format is named in the text output. */
const FORMAT_LABELS: Record<Dataset['format'], string> = {
  template: 'template (Kilosort/phy folder)',
  kwik: 'kwik (klusta)',
  analyzer: 'analyzer (SpikeInterface SortingAnalyzer, %s)',
  nwb: 'nwb (NWB 2.x HDF5, Units table)',
};

const usage = `usage: spikedock info <folder | params.py | file.kwik | analyzer folder or .zarr | file.nwb | https://…/file.nwb> [--json] [--channel-group N] [--clustering NAME]

Opens a Kilosort/phy template folder, a Kwik file, a SpikeInterface SortingAnalyzer (binary_folder or zarr) or an NWB file
(local, or remote by URL with HTTP range requests) read-only and prints its format, counts
(spikes, clusters, templates, channels), sample rate, duration, raw data status, cluster groups
and every diagnostic found while opening it.

  --json               print one JSON object instead of text
  --channel-group N    Kwik: the channel group (shank) to open (default: the first)
  --clustering NAME    Kwik: the clustering to open (default: main)
`;

export const command: Command = {
  name: 'info',
  summary: 'describe a dataset (counts, sample rate, raw data, groups, diagnostics)',
  usage,
  async run(argv, io) {
    const args = parseArgs(argv, { values: ['channel-group', 'clustering'], flags: ['json'] });
    if (args.positionals.length !== 1) throw new UserError(`expected one dataset path\n${usage}`, 2);
    const cg = args.values.get('channel-group');
    if (cg !== undefined && !/^\d+$/.test(cg)) throw new UserError(`--channel-group must be a non-negative integer (got '${cg}')`, 2);
    const ds = await openDataset(args.positionals[0], { channelGroup: cg === undefined ? undefined : Number(cg), clustering: args.values.get('clustering'), shared: false });
    try {
      const { ids } = clusterSpikeCounts(ds.spikeClusters);
      const groups = countClusterGroups(ids, ds.clusterGroups);
      const nShanks = new Set(ds.channelShanks).size;
      const raw = rawStatus(ds);
      if (args.flags.get('json')) {
        const out = {
          path: ds.path,
          name: ds.name,
          format: ds.format,
          n_spikes: ds.nSpikes,
          n_clusters: ids.length,
          n_templates: ds.nTemplates,
          n_channels: ds.nChannels,
          n_shanks: nShanks,
          sample_rate: ds.sampleRate,
          duration: ds.duration,
          raw: { present: !!ds.raw, status: raw, files: ds.raw ? ds.raw.files : [] },
          groups,
          has_features: !!ds.features,
          has_template_features: !!ds.templateFeatures,
          has_templates: !!ds.templates,
          spike_attributes: ds.spikeAttributes.map((a) => a.name),
          cluster_columns: ds.clusterColumns.map((c) => c.name),
          ...(ds.kwik
            ? { kwik: { channel_group: ds.kwik.channelGroup, channel_groups: ds.kwik.channelGroups, clustering: ds.kwik.clustering, clusterings: ds.kwik.clusterings } }
            : {}),
          ...(ds.analyzer
            ? { analyzer: { spikeinterface_version: ds.analyzer.version, storage: ds.analyzer.storage, extensions: ds.analyzer.extensions, unit_ids_mapped: ds.analyzer.idsMapped } }
            : {}),
          ...(ds.nwb
            ? {
                nwb: {
                  nwb_version: ds.nwb.version,
                  units: ds.nwb.units,
                  other_units: ds.nwb.otherUnits,
                  electrical_series: ds.nwb.electricalSeries,
                  other_series: ds.nwb.otherSeries,
                  rate_source: ds.nwb.rateSource,
                  unit_ids_mapped: ds.nwb.idsMapped,
                },
              }
            : {}),
          ...(ds.remote
            ? {
                remote: {
                  url: ds.remote.spec.url,
                  size: ds.remote.spec.size,
                  network_bytes: ds.remote.networkBytes(),
                  bytes_read: ds.remote.bytesRead(),
                  local_dir: ds.dir,
                  cache_dir: ds.remote.spec.cacheDir,
                },
              }
            : {}),
          diagnostics: ds.diagnostics,
        };
        io.stdout(JSON.stringify(out, null, 2) + '\n');
        return 0;
      }
      const rows: Array<[string, string]> = [
        ['format', FORMAT_LABELS[ds.format].replace('%s', ds.analyzer?.storage ?? 'binary_folder')],
        ['n_spikes', String(ds.nSpikes)],
        ['n_clusters', String(ids.length)],
        ['n_templates', String(ds.nTemplates)],
        ['n_channels', `${ds.nChannels} (${nShanks} shank${nShanks === 1 ? '' : 's'})`],
        ['sample_rate', `${ds.sampleRate} Hz`],
        ['duration', `${ds.duration.toFixed(3)} s`],
        ['raw data', raw],
        ['groups', `good ${groups.good}, mua ${groups.mua}, noise ${groups.noise}, unlabelled ${groups.unlabelled}${groups.other ? `, other ${groups.other}` : ''}`],
      ];
      if (ds.kwik) {
        // "0 (of 0)" read as "group 0 of zero groups": name the groups, or say there is one.
        const groups = ds.kwik.channelGroups;
        rows.push(['channel group', `${ds.kwik.channelGroup} (${groups.length === 1 ? 'the only one' : `of ${groups.length}: ${groups.join(', ')}`})`]);
        rows.push(['clustering', `${ds.kwik.clustering} (of ${ds.kwik.clusterings.join(', ')})`]);
      }
      if (ds.analyzer) {
        const a = ds.analyzer;
        const ids = a.unitIds.length > 4 ? `${a.unitIds.slice(0, 3).join(', ')}, …, ${a.unitIds[a.unitIds.length - 1]}` : a.unitIds.join(', ');
        rows.push(['spikeinterface', `${a.version}; extensions: ${a.extensions.length ? a.extensions.join(', ') : 'none'}`]);
        rows.push(['unit ids', a.idsMapped ? `${ids} → cluster ids 0–${a.unitIds.length - 1} (the unit_id column)` : `${ids} (= cluster ids)`]);
      }
      if (ds.nwb) {
        const n = ds.nwb;
        const ids = n.unitIds.length > 4 ? `${n.unitIds.slice(0, 3).join(', ')}, …, ${n.unitIds[n.unitIds.length - 1]}` : n.unitIds.join(', ');
        rows.push(['nwb', `${n.version}; units ${n.units}; raw ${n.electricalSeries ?? 'none'} (rate from ${n.rateSource === 'default' ? 'the 30 kHz default' : n.rateSource})`]);
        rows.push(['unit ids', n.idsMapped ? `${ids} → cluster ids 0–${n.unitIds.length - 1} (the unit_id column)` : `${ids} (= cluster ids)`]);
      }
      if (ds.remote) {
        const r = ds.remote;
        const mb = (n: number) => `${(n / 1e6).toFixed(n < 1e7 ? 2 : 1)} MB`;
        const net = r.networkBytes();
        rows.push(['remote', `${mb(r.spec.size)} file read by range requests: ${mb(net)} fetched from the server (${((100 * net) / r.spec.size).toFixed(2)} % of the file), ${mb(Math.max(0, r.bytesRead() - net))} from the disk cache`]);
        rows.push(['saves, journal', ds.dir]);
      }
      const features = [ds.templates && 'templates', ds.features && 'features', ds.templateFeatures && 'template features', ds.amplitudes && 'amplitudes', ds.similarTemplates && 'similarity'].filter(Boolean);
      rows.push(['available', features.length ? features.join(', ') : 'none']);
      if (ds.spikeAttributes.length) rows.push(['spike attributes', ds.spikeAttributes.map((a) => a.name).join(', ')]);
      if (ds.clusterColumns.length) rows.push(['cluster columns', ds.clusterColumns.map((c) => c.name).join(', ')]);
      const w = Math.max(...rows.map((r) => r[0].length));
      const lines = [ds.path, ...rows.map(([k, v]) => `  ${k.padEnd(w)}  ${v}`)];
      lines.push(`  ${'diagnostics'.padEnd(w)}  ${ds.diagnostics.length || 'none'}`);
      for (const d of ds.diagnostics) lines.push(`    ${formatDiagnostic(d)}`);
      io.stdout(lines.join('\n') + '\n');
      return 0;
    } finally {
      ds.close();
    }
  },
};
