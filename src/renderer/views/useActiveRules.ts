import { useEffect, useState } from 'react';
import { bombcellDefaultRules } from '../../core/rules/bombcell';
import type { RuleSet } from '../../core/rules/labelRules';
import { useAppStore, useBackend } from '../store';

/** The label rules the views colour against, and where they come from. */
export interface ActiveRules {
  rules: RuleSet;
  /** `saved`: the rule set last applied to this dataset; `defaults`: Bombcell's, the starting set. */
  source: 'saved' | 'defaults';
  /** Why the saved rule set could not be used (the backend's message, naming the file), else null. */
  error: string | null;
}

const DEFAULTS: ActiveRules = { rules: bombcellDefaultRules(), source: 'defaults', error: null };

/**
 * The active label rules: the rule set last applied to this dataset (`session.labelRules()`, the
 * file `.spikedock/label_rules.json`), else Bombcell's defaults — the set the rules dialog starts
 * from. Read again at each new session generation (applying rules is a session change), so the
 * colours follow the rules the labels came from. A saved file that cannot be used falls back to
 * the defaults and says why.
 */
export function useActiveRules(): ActiveRules {
  const backend = useBackend();
  const dataset = useAppStore((s) => s.dataset);
  const generation = useAppStore((s) => s.generation);
  const [active, setActive] = useState<ActiveRules>(DEFAULTS);
  useEffect(() => {
    if (!dataset) return;
    let live = true;
    backend.session.labelRules().then(
      (rules) => live && setActive(rules ? { rules, source: 'saved', error: null } : DEFAULTS),
      (e: unknown) => live && setActive({ ...DEFAULTS, error: e instanceof Error ? e.message : String(e) }),
    );
    return () => {
      live = false;
    };
  }, [backend, dataset, generation]);
  return active;
}
