import type { ChartConfiguration } from 'chart.js';
import { useEffect, useMemo, useState } from 'react';
import { type ApiClient, ApiError } from '../lib/api';
import { Chart, PALETTE } from './Chart';
import { DateRange, downloadCsv, lastDays, type Range } from './report-range';

interface Totals {
  requests: number;
  input_tokens: number;
  output_tokens: number;
  cached_tokens: number;
  cost_usd: number;
}

/** GET /usage. */
interface Usage {
  from: string;
  to: string;
  totals: Totals & { conversations: number; cost_per_conversation_usd: number | null };
  by_day: (Totals & { day: string })[];
  by_model: (Totals & { model: string })[];
  by_agent: (Totals & { agent: string })[];
}

type State = 'off' | 'ok' | 'warning' | 'degraded' | 'exhausted';
interface SpendRow {
  spent_usd: number;
  ratio: number | null;
  state: State;
}

/** GET /usage/budgets. */
interface Budgets {
  day: string;
  resets_at: string;
  warn_ratio: number;
  router_model: string | null;
  global_day: SpendRow & { limit_usd: number };
  customer_day: { limit_usd: number; top: (SpendRow & { customer_id: string; name: string | null; email: string | null })[] };
  conversation: { limit_usd: number; top: (SpendRow & { conversation_id: string; subject: string | null })[] };
}

const usd = (v: number | null, digits = 4) => (v === null ? '—' : `$${v.toFixed(digits)}`);
const STATE_LABEL: Record<State, string> = { off: 'No limit', ok: 'OK', warning: 'Warning', degraded: 'Spent: cheaper model', exhausted: 'Spent: offline engine' };

/** Every day of the range, so a day without calls shows as zero. */
function daysOf(range: { from: string; to: string }): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${range.from}T00:00:00Z`); t <= Date.parse(`${range.to}T00:00:00Z`); t += 86_400_000) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

const bars = (labels: string[], data: number[], axis: 'x' | 'y' = 'x'): ChartConfiguration => ({
  type: 'bar',
  data: { labels, datasets: [{ label: 'USD', data, backgroundColor: labels.map((_, i) => PALETTE[axis === 'x' ? 0 : i % PALETTE.length]) }] },
  options: { indexAxis: axis, plugins: { legend: { display: false } }, scales: { x: { beginAtZero: true }, y: { beginAtZero: true } } },
});

/** One budget as a bar of how much of it is spent, with its state. */
function BudgetBar(props: { label: string; row: SpendRow; limit: number; warn: number; testId?: string }) {
  const { row } = props;
  const share = row.ratio === null ? 0 : Math.min(1, row.ratio);
  return (
    <div className={`budget budget-${row.state}`} data-testid={props.testId} data-state={row.state}>
      <div className="budget-head">
        <span>{props.label}</span>
        <span className={`budget-state state-${row.state}`}>{STATE_LABEL[row.state]}</span>
      </div>
      <meter
        className="visually-hidden"
        min={0}
        max={100}
        value={Math.round(share * 100)}
        aria-label={`${props.label}: ${usd(row.spent_usd)} of ${props.limit > 0 ? usd(props.limit, 2) : 'no limit'}`}
      />
      <div className="budget-track" aria-hidden="true">
        <span className="budget-fill" style={{ width: `${share * 100}%` }} />
        <span className="budget-warn" style={{ left: `${props.warn * 100}%` }} />
      </div>
      <span className="muted small">
        {usd(row.spent_usd)} of {props.limit > 0 ? usd(props.limit, 2) : 'no limit'}
        {row.ratio !== null && ` · ${(row.ratio * 100).toFixed(0)} %`}
      </span>
    </div>
  );
}

/** Usage and budgets for administrators: LLM spend by day, model and agent; each budget's state. */
export function UsagePage(props: { api: ApiClient }) {
  const [range, setRange] = useState<Range>(() => lastDays(30));
  const [usage, setUsage] = useState<Usage | null>(null);
  const [budgets, setBudgets] = useState<Budgets | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    Promise.all([props.api.request<Usage>(`/usage?${new URLSearchParams({ from: range.from, to: range.to, conversations: '0' })}`), props.api.request<Budgets>('/usage/budgets')])
      .then(([u, b]) => {
        if (!live) return;
        setUsage(u);
        setBudgets(b);
        setError(null);
      })
      .catch((err) => live && setError(err instanceof ApiError ? err.message : 'Could not load usage'));
    return () => {
      live = false;
    };
  }, [props.api, range]);

  const charts = useMemo(() => {
    if (!usage) return null;
    const days = daysOf(usage);
    const byDay = new Map(usage.by_day.map((d) => [d.day, d]));
    const spend = days.map((d) => byDay.get(d)?.cost_usd ?? 0);
    return {
      day: {
        config: bars(
          days.map((d) => d.slice(5)),
          spend,
        ),
        table: { head: ['day', 'cost (USD)', 'requests'], rows: days.map((d, i) => [d, usd(spend[i]!, 6), byDay.get(d)?.requests ?? 0]) },
      },
      model: {
        config: bars(
          usage.by_model.map((m) => m.model),
          usage.by_model.map((m) => m.cost_usd),
          'y',
        ),
        table: { head: ['model', 'cost (USD)', 'requests'], rows: usage.by_model.map((m) => [m.model, usd(m.cost_usd, 6), m.requests]) },
      },
      agent: {
        config: bars(
          usage.by_agent.map((a) => a.agent),
          usage.by_agent.map((a) => a.cost_usd),
          'y',
        ),
        table: { head: ['agent', 'cost (USD)', 'requests'], rows: usage.by_agent.map((a) => [a.agent, usd(a.cost_usd, 6), a.requests]) },
      },
      csv: [
        ['day', 'requests', 'input_tokens', 'output_tokens', 'cached_tokens', 'cost_usd'],
        ...days.map((d) => {
          const r = byDay.get(d);
          return [d, r?.requests ?? 0, r?.input_tokens ?? 0, r?.output_tokens ?? 0, r?.cached_tokens ?? 0, Number((r?.cost_usd ?? 0).toFixed(6))];
        }),
      ],
    };
  }, [usage]);

  return (
    <section className="tickets insights" aria-labelledby="usage-title">
      <header className="pane-header">
        <div>
          <h2 id="usage-title">Usage and budgets</h2>
          <p className="pane-sub">LLM calls recorded in llm_usage; the daily budgets count the current UTC day.</p>
        </div>
        <div className="pane-actions">
          <DateRange value={range} onChange={setRange} />
          <button type="button" className="btn btn-secondary" disabled={!charts} onClick={() => charts && downloadCsv(`usage-${range.from}-${range.to}.csv`, charts.csv)}>
            Export CSV
          </button>
        </div>
      </header>
      {error && (
        <p className="form-error pad" role="alert">
          {error}
        </p>
      )}
      {usage && charts && budgets && (
        <div className="insights-body">
          <dl className="kpis" aria-label="Totals">
            <div>
              <dt>Spend</dt>
              <dd data-testid="usage-cost">{usd(usage.totals.cost_usd)}</dd>
            </div>
            <div>
              <dt>LLM calls</dt>
              <dd data-testid="usage-requests">{usage.totals.requests}</dd>
            </div>
            <div>
              <dt>Tokens in / out</dt>
              <dd>
                {usage.totals.input_tokens.toLocaleString('en-US')} / {usage.totals.output_tokens.toLocaleString('en-US')}
              </dd>
            </div>
            <div>
              <dt>Per conversation</dt>
              <dd>{usd(usage.totals.cost_per_conversation_usd)}</dd>
            </div>
          </dl>
          <section className="budgets" aria-labelledby="budgets-title">
            <h3 id="budgets-title">Budgets on {budgets.day}</h3>
            <p className="muted small">
              Warning from {(budgets.warn_ratio * 100).toFixed(0)} %; once spent, calls {budgets.router_model ? `go to ${budgets.router_model}, then ` : ''}fall back to the offline engine. Resets{' '}
              {new Date(budgets.resets_at).toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'short' })}.
            </p>
            <div className="budget-grid">
              <div>
                <h4>Everyone, today</h4>
                <BudgetBar label="All conversations" row={budgets.global_day} limit={budgets.global_day.limit_usd} warn={budgets.warn_ratio} testId="budget-global" />
              </div>
              <div>
                <h4>Per customer, today (top {budgets.customer_day.top.length})</h4>
                {budgets.customer_day.top.length ? (
                  budgets.customer_day.top.map((c) => (
                    <BudgetBar key={c.customer_id} label={c.name ?? c.email ?? c.customer_id} row={c} limit={budgets.customer_day.limit_usd} warn={budgets.warn_ratio} testId="budget-customer" />
                  ))
                ) : (
                  <p className="muted small">No customer spent anything today.</p>
                )}
              </div>
              <div>
                <h4>Per conversation (top {budgets.conversation.top.length})</h4>
                {budgets.conversation.top.length ? (
                  budgets.conversation.top.map((c) => (
                    <BudgetBar
                      key={c.conversation_id}
                      label={c.subject ?? `Conversation ${c.conversation_id.slice(0, 8)}`}
                      row={c}
                      limit={budgets.conversation.limit_usd}
                      warn={budgets.warn_ratio}
                      testId="budget-conversation"
                    />
                  ))
                ) : (
                  <p className="muted small">No conversation spent anything today.</p>
                )}
              </div>
            </div>
          </section>
          <div className="charts">
            <Chart title="Spend per day (USD)" testId="chart-usage-day" {...charts.day} />
            <Chart title="Spend by model (USD)" testId="chart-usage-model" {...charts.model} />
            <Chart title="Spend by agent (USD)" testId="chart-usage-agent" {...charts.agent} />
          </div>
        </div>
      )}
    </section>
  );
}
