// The what-if controls: model, input budget, section fractions, retriever weights and pager
// switches. Each shows the value in force (the override, else the recording's) and marks what is
// overridden; every change goes straight to the URL, and from there to a re-page.
import type { ModelView, PolicyView, WhatIfOverridesInput } from '../../src-main/api/contract';
import { formatInt } from '../lib/format';
import { sectionTitle } from '../lib/vocabulary';
import { BOOLEAN_SWITCHES, FILL_SECTIONS, SWITCH_TEXT } from '../lib/whatif-params';
import './whatif-controls.css';

export interface WhatIfControlsProps {
  readonly recorded: PolicyView;
  readonly recordedModel: string;
  readonly recordedBudget: number;
  readonly models: readonly ModelView[];
  readonly overrides: WhatIfOverridesInput;
  /** URL parameter changes; undefined removes an override. */
  readonly onChange: (changes: Record<string, string | undefined>) => void;
  readonly onReset: () => void;
}

const round = (n: number) => String(Math.round(n * 1000) / 1000);

export function WhatIfControls({
  recorded,
  recordedModel,
  recordedBudget,
  models,
  overrides,
  onChange,
  onReset,
}: WhatIfControlsProps) {
  const budget = overrides.budget ?? recordedBudget;
  const fractions = { ...recorded.sectionBudgets, ...overrides.sectionBudgets };
  const sum = FILL_SECTIONS.reduce((n, s) => n + (fractions[s] ?? 0), 0);
  const mark = (overridden: boolean) => (overridden ? 'control overridden' : 'control');
  const setNumber = (key: string, value: string, recordedValue: number) =>
    onChange({ [key]: value === '' || Number(value) === recordedValue ? undefined : value });
  return (
    <form
      className="panel whatif-controls"
      aria-label="What-if settings"
      onSubmit={(e) => e.preventDefault()}
    >
      <header className="panel-header">
        <h3>Settings</h3>
        <button type="button" onClick={onReset} disabled={Object.keys(overrides).length === 0}>
          Reset to the recording
        </button>
      </header>
      <fieldset>
        <legend>Model and budget</legend>
        <label className={mark(overrides.model !== undefined)}>
          <span>Model</span>
          <select
            value={overrides.model ?? recordedModel}
            onChange={(e) =>
              onChange({ model: e.target.value === recordedModel ? undefined : e.target.value })
            }
          >
            {models.map((m) => (
              <option
                key={m.name}
                value={m.name}
                title={`input budget ${formatInt(m.inputBudget)}`}
              >
                {m.name}
                {m.name === recordedModel ? ' (recorded)' : ''}
              </option>
            ))}
          </select>
        </label>
        <label className={mark(overrides.budget !== undefined)}>
          <span>Input budget</span>
          <input
            type="number"
            min={1}
            step={1}
            value={budget}
            onChange={(e) => setNumber('budget', e.target.value, recordedBudget)}
          />
        </label>
        <div className="control-buttons">
          <button
            type="button"
            onClick={() => onChange({ budget: String(Math.max(1, Math.floor(budget / 2))) })}
          >
            Halve budget
          </button>
          <button type="button" onClick={() => onChange({ budget: String(budget * 2) })}>
            Double budget
          </button>
          <span className="muted">recorded {formatInt(recordedBudget)}</span>
        </div>
      </fieldset>
      <fieldset>
        <legend>
          Section fractions{' '}
          <span className={sum > 1 + 1e-9 ? 'bad' : 'muted'}>sum {round(sum)}</span>
        </legend>
        {FILL_SECTIONS.map((s) => (
          <label key={s} className={mark(overrides.sectionBudgets?.[s] !== undefined)}>
            <span>{sectionTitle(s)}</span>
            <input
              type="range"
              min={0}
              max={1}
              step={0.01}
              value={fractions[s] ?? 0}
              aria-label={`${sectionTitle(s)} fraction`}
              onChange={(e) => setNumber(`s.${s}`, e.target.value, recorded.sectionBudgets[s])}
            />
            <output className="mono">{(fractions[s] ?? 0).toFixed(2)}</output>
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>Retriever weights</legend>
        {Object.entries(recorded.weights).map(([name, weight]) => {
          const value = overrides.weights?.[name] ?? weight;
          return (
            <label key={name} className={mark(overrides.weights?.[name] !== undefined)}>
              <span>{name}</span>
              <input
                type="range"
                min={0}
                max={Math.max(2, weight * 3)}
                step={0.05}
                value={value}
                aria-label={`${name} weight`}
                onChange={(e) => setNumber(`w.${name}`, e.target.value, weight)}
              />
              <output className="mono">{value.toFixed(2)}</output>
            </label>
          );
        })}
      </fieldset>
      <fieldset>
        <legend>Switches</legend>
        {BOOLEAN_SWITCHES.map((s) => {
          const value = overrides.switches?.[s] ?? recorded.switches[s];
          return (
            <label key={s} className={`check ${mark(overrides.switches?.[s] !== undefined)}`}>
              <input
                type="checkbox"
                checked={value}
                onChange={(e) =>
                  onChange({
                    [`sw.${s}`]:
                      e.target.checked === recorded.switches[s]
                        ? undefined
                        : String(e.target.checked),
                  })
                }
              />{' '}
              {SWITCH_TEXT[s]}
            </label>
          );
        })}
        <label className={mark(overrides.switches?.redundancyThreshold !== undefined)}>
          <span>{SWITCH_TEXT.redundancyThreshold}</span>
          <input
            type="range"
            min={0}
            max={1}
            step={0.01}
            value={overrides.switches?.redundancyThreshold ?? recorded.switches.redundancyThreshold}
            aria-label={SWITCH_TEXT.redundancyThreshold}
            onChange={(e) =>
              setNumber(
                'sw.redundancyThreshold',
                e.target.value,
                recorded.switches.redundancyThreshold,
              )
            }
          />
          <output className="mono">
            {(
              overrides.switches?.redundancyThreshold ?? recorded.switches.redundancyThreshold
            ).toFixed(2)}
          </output>
        </label>
        <label className={mark(overrides.switches?.priorityWeight !== undefined)}>
          <span>{SWITCH_TEXT.priorityWeight}</span>
          <input
            type="number"
            min={0}
            max={10}
            step={0.1}
            value={overrides.switches?.priorityWeight ?? recorded.switches.priorityWeight}
            onChange={(e) =>
              setNumber('sw.priorityWeight', e.target.value, recorded.switches.priorityWeight)
            }
          />
        </label>
      </fieldset>
    </form>
  );
}
