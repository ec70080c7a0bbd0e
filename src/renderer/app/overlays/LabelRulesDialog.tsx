/**
 * Edit → Label by rules… (alt+l, `:rules`): the active rule set as a table per label (metric,
 * min, max, NaN policy; an optional expression), loaded from or saved to a rules file, with the
 * number of clusters each label would get shown before applying — evaluated on the store's rows
 * as the rules change. Apply stores the rules as the active set and runs
 * `cluster.applyLabelRules`: ONE journaled, undoable action.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { METRIC_NAMES } from '../../../core/metrics/qualityMetrics';
import { bombcellDefaultRules } from '../../../core/rules/bombcell';
import { NAN_POLICIES, type RuleSet } from '../../../core/rules/labelRules';
import { formatRuleFile, parseRuleFile } from '../../../core/rules/ruleFile';
import { useRunCommand } from '../../commands/CommandsContext';
import { appStore, useAppStore } from '../../store/appStore';
import type { AppState } from '../../store/AppState';
import { filterableColumns } from '../../store/clusterColumns';
import { previewRuleLabels, qualityRowsOf, type RulePreview } from '../../store/labelRules';
import { closeOverlay } from './closeOverlay';
import { draftOf, rulesOfDraft, type DraftLabel, type RulesDraft } from './labelRulesDraft';

const selectClusters = (s: AppState) => s.clusters;
const selectLabelColumns = (s: AppState) => s.session.labelColumns;
const selectQuality = (s: AppState) => qualityRowsOf(s);
const selectActive = (s: AppState) => s.labelRules;

function evaluate(draft: RulesDraft, s: { clusters: AppState['clusters']; labelColumns: string[]; quality: ReturnType<typeof qualityRowsOf> }, overwrite: boolean): { rules: RuleSet | null; preview: RulePreview | null; error: string | null } {
  try {
    const rules = rulesOfDraft(draft);
    return { rules, preview: previewRuleLabels(rules, s.clusters, s.labelColumns, s.quality, overwrite), error: null };
  } catch (e) {
    return { rules: null, preview: null, error: e instanceof Error ? e.message : String(e) };
  }
}

export function LabelRulesDialog() {
  const clusters = useAppStore(selectClusters);
  const labelColumns = useAppStore(selectLabelColumns);
  const quality = useAppStore(selectQuality);
  const active = useAppStore(selectActive);
  const run = useRunCommand();
  const [draft, setDraft] = useState<RulesDraft>(() => draftOf(active.rules));
  const [source, setSource] = useState(active.source);
  const [overwrite, setOverwrite] = useState(false);
  const [fileError, setFileError] = useState<string | null>(null);
  const fileRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        e.stopPropagation();
        closeOverlay();
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, []);

  const { rules, preview, error } = useMemo(() => evaluate(draft, { clusters, labelColumns, quality }, overwrite), [draft, clusters, labelColumns, quality, overwrite]);
  const names = useMemo(() => [...new Set([...METRIC_NAMES, ...filterableColumns(labelColumns)])], [labelColumns]);

  const editLabel = (i: number, change: (l: DraftLabel) => DraftLabel) => setDraft((d) => ({ ...d, labels: d.labels.map((l, k) => (k === i ? change(l) : l)) }));
  const load = (r: RuleSet, from: string) => {
    setDraft(draftOf(r));
    setSource(from);
    setFileError(null);
  };
  const onFile = async (file: File | undefined) => {
    if (!file) return;
    try {
      load(parseRuleFile(await file.text(), file.name), file.name);
    } catch (e) {
      setFileError(e instanceof Error ? e.message : String(e));
    }
    if (fileRef.current) fileRef.current.value = '';
  };
  const save = () => {
    if (!rules) return;
    const url = URL.createObjectURL(new Blob([formatRuleFile(rules)], { type: 'application/json' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = 'label_rules.json';
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  const apply = () => {
    if (!rules || !preview) return;
    appStore.update((d) => {
      d.labelRules.rules = rules;
      d.labelRules.source = source;
    }, { capture: 'none' });
    closeOverlay();
    void run('cluster.applyLabelRules', overwrite ? ['overwrite'] : []);
  };

  const total = clusters.length;
  const order = [...draft.labels.map((l) => l.label.trim()), ...(draft.otherwise.trim() ? [draft.otherwise.trim()] : [])];
  return (
    <div className="overlay-backdrop" onMouseDown={(e) => e.target === e.currentTarget && closeOverlay()}>
      <div className="overlay label-rules" role="dialog" aria-modal="true" aria-label="Label by rules">
        <header className="overlay-header">
          <h2>Label by rules</h2>
          <span className="muted label-rules-source" title={source}>
            {source}
          </span>
          <button type="button" className="overlay-close" aria-label="Close" onClick={closeOverlay}>
            ×
          </button>
        </header>
        <p className="overlay-hint">
          Labels are tried in order: a cluster gets the first label whose rule it fails (a value outside <i>min</i>–<i>max</i>, or a true expression), else <b>{draft.otherwise || '(unchanged)'}</b>. NaN: what a missing value counts as (fail, pass, skip). Applied as one action: <kbd>Ctrl+Z</kbd> undoes it.
        </p>
        <datalist id="label-rules-metrics">
          {names.map((n) => (
            <option key={n} value={n} />
          ))}
        </datalist>
        <div className="label-rules-body">
          {draft.labels.map((l, i) => (
            <section key={i} className="label-rules-label" data-label={l.label}>
              <div className="label-rules-label-head">
                <input aria-label="label" className="label-rules-name" value={l.label} onChange={(e) => editLabel(i, (x) => ({ ...x, label: e.target.value }))} />
                <label>
                  when{' '}
                  <select aria-label="match" value={l.match} onChange={(e) => editLabel(i, (x) => ({ ...x, match: e.target.value as DraftLabel['match'] }))}>
                    <option value="any">any bound fails</option>
                    <option value="all">all bounds fail</option>
                  </select>
                </label>
                <label>
                  NaN{' '}
                  <select aria-label="label NaN policy" value={l.nan} onChange={(e) => editLabel(i, (x) => ({ ...x, nan: e.target.value as DraftLabel['nan'] }))}>
                    {NAN_POLICIES.map((p) => (
                      <option key={p} value={p}>
                        {p}
                      </option>
                    ))}
                  </select>
                </label>
                <span className="label-rules-count" data-count={l.label}>
                  {preview ? `${preview.counts[l.label.trim()] ?? 0} cluster${(preview.counts[l.label.trim()] ?? 0) === 1 ? '' : 's'}` : '–'}
                </span>
                <button type="button" className="link" onClick={() => setDraft((d) => ({ ...d, labels: d.labels.filter((_, k) => k !== i) }))}>
                  remove label
                </button>
              </div>
              {l.note ? <p className="label-rules-note">{l.note}</p> : null}
              <table>
                <thead>
                  <tr>
                    <th>metric</th>
                    <th>min</th>
                    <th>max</th>
                    <th>NaN</th>
                    <th title="clusters outside the bounds (all clusters)">fail</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {l.bounds.map((b, j) => {
                    const setB = (patch: Partial<typeof b>) => editLabel(i, (x) => ({ ...x, bounds: x.bounds.map((y, k) => (k === j ? { ...y, ...patch } : y)) }));
                    const fails = preview?.evaluation.perMetric[`${l.label.trim()}.${b.metric.trim()}`]?.fail;
                    return (
                      <tr key={j}>
                        <td>
                          <input aria-label="metric" list="label-rules-metrics" value={b.metric} onChange={(e) => setB({ metric: e.target.value })} />
                        </td>
                        <td>
                          <input aria-label="min" className="num" value={b.min} onChange={(e) => setB({ min: e.target.value })} />
                        </td>
                        <td>
                          <input aria-label="max" className="num" value={b.max} onChange={(e) => setB({ max: e.target.value })} />
                        </td>
                        <td>
                          <select aria-label="NaN policy" value={b.nan} onChange={(e) => setB({ nan: e.target.value as typeof b.nan })}>
                            <option value="">({l.nan})</option>
                            {NAN_POLICIES.map((p) => (
                              <option key={p} value={p}>
                                {p}
                              </option>
                            ))}
                          </select>
                        </td>
                        <td className="num">{fails ?? ''}</td>
                        <td>
                          <button type="button" className="link" aria-label={`remove ${b.metric}`} onClick={() => editLabel(i, (x) => ({ ...x, bounds: x.bounds.filter((_, k) => k !== j) }))}>
                            ×
                          </button>
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
              <div className="label-rules-label-foot">
                <button type="button" className="link" onClick={() => editLabel(i, (x) => ({ ...x, bounds: [...x.bounds, { metric: '', min: '', max: '', nan: '' }] }))}>
                  + metric
                </button>
                <input aria-label="expression" className="label-rules-expression" placeholder="or an expression, e.g. snr < 2 && num_spikes < 100" value={l.expression} onChange={(e) => editLabel(i, (x) => ({ ...x, expression: e.target.value }))} />
              </div>
            </section>
          ))}
          <div className="label-rules-otherwise">
            <button type="button" className="link" onClick={() => setDraft((d) => ({ ...d, labels: [...d.labels, { label: `label${d.labels.length + 1}`, match: 'any', nan: 'skip', expression: '', note: '', bounds: [{ metric: '', min: '', max: '', nan: '' }] }] }))}>
              + label
            </button>
            <label>
              otherwise <input aria-label="otherwise" value={draft.otherwise} placeholder="(unchanged)" onChange={(e) => setDraft((d) => ({ ...d, otherwise: e.target.value }))} />
            </label>
            {draft.otherwise.trim() ? (
              <span className="label-rules-count" data-count={draft.otherwise.trim()}>
                {preview ? `${preview.counts[draft.otherwise.trim()] ?? 0} clusters` : '–'}
              </span>
            ) : null}
          </div>
        </div>
        <div className="label-rules-summary" role="status">
          {error ? <p className="error">{error}</p> : null}
          {fileError ? <p className="error">{fileError}</p> : null}
          {preview ? (
            <p data-preview="summary">
              Would label <b>{preview.clusterIds.length}</b> of {total} clusters ({order.map((label) => `${label} ${preview.counts[label] ?? 0}`).join(', ')})
              {preview.kept ? `; ${preview.kept} already labelled are left as they are` : ''}.{' '}
              {preview.withMetrics === total ? 'Every cluster has its quality metrics.' : `Quality metrics computed for ${preview.withMetrics} of ${total} clusters so far: the others are judged by their NaN policy.`}
              {preview.evaluation.missing.length ? ` No cluster has ${preview.evaluation.missing.join(', ')}: judged by the NaN policy.` : ''}
            </p>
          ) : null}
        </div>
        <div className="prompt-buttons label-rules-buttons">
          <button type="button" onClick={() => load(bombcellDefaultRules(), "Bombcell's defaults")}>
            Bombcell defaults
          </button>
          <button type="button" onClick={() => fileRef.current?.click()}>
            Load…
          </button>
          <input ref={fileRef} type="file" accept=".json,application/json" hidden aria-label="rules file" onChange={(e) => void onFile(e.target.files?.[0])} />
          <button type="button" disabled={!rules} onClick={save}>
            Save…
          </button>
          <label className="label-rules-overwrite">
            <input type="checkbox" checked={overwrite} onChange={(e) => setOverwrite(e.target.checked)} /> relabel labelled clusters
          </label>
          <span className="spacer" />
          <button type="button" onClick={closeOverlay}>
            Cancel
          </button>
          <button type="button" className="primary" disabled={!preview || preview.clusterIds.length === 0} onClick={apply}>
            Apply to {preview?.clusterIds.length ?? 0} clusters
          </button>
        </div>
      </div>
    </div>
  );
}
