/**
 * ClusterView's column menu (right-click on the header, or the "Columns…" button): a checkbox per
 * quality metric column, SpikeInterface's names, the one-line description as tooltip. Closes on
 * Escape or a click elsewhere.
 */
import { useEffect, useRef } from 'react';
import { METRIC_COLUMNS } from '../../store/clusterColumns';

export interface ColumnsMenuProps {
  /** Position relative to the ClusterView, px. */
  x: number;
  y: number;
  shown: readonly string[];
  onToggle: (column: string, show: boolean) => void;
  onReset: () => void;
  onClose: () => void;
}

export function ColumnsMenu({ x, y, shown, onToggle, onReset, onClose }: ColumnsMenuProps) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const down = (e: PointerEvent) => {
      if (ref.current && !ref.current.contains(e.target as Node)) onClose();
    };
    const key = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.stopPropagation();
        onClose();
      }
    };
    window.addEventListener('pointerdown', down, true);
    window.addEventListener('keydown', key, true);
    ref.current?.querySelector<HTMLElement>('[role="menuitemcheckbox"]')?.focus();
    return () => {
      window.removeEventListener('pointerdown', down, true);
      window.removeEventListener('keydown', key, true);
    };
  }, [onClose]);
  const set = new Set(shown);
  return (
    <div ref={ref} className="cv-columns" role="menu" aria-label="Metric columns" style={{ left: x, top: y }}>
      <div className="cv-columns-title">Quality metric columns</div>
      {METRIC_COLUMNS.map((c) => (
        <label key={c.name} role="menuitemcheckbox" aria-checked={set.has(c.name)} title={c.description} tabIndex={-1} className="cv-columns-item">
          <input type="checkbox" checked={set.has(c.name)} onChange={(e) => onToggle(c.name, e.target.checked)} tabIndex={-1} />
          {c.name}
        </label>
      ))}
      <button type="button" className="cv-columns-reset" onClick={onReset}>
        Default columns
      </button>
    </div>
  );
}
