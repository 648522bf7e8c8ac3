import type { ChartConfiguration } from 'chart.js';
import { useEffect, useMemo, useState } from 'react';
import { type ApiClient, ApiError } from '../lib/api';
import { Chart, PALETTE } from './Chart';
import { DateRange, downloadCsv, lastDays, type Range } from './report-range';

/** GET /analytics. */
interface Analytics {
  from: string;
  to: string;
  conversations: number;
  outcomes: { resolved: number; handed_off: number; abandoned: number; open: number };
  containment_rate: number | null;
  handoff_rate: number | null;
  handoff_reasons: { reason: string; count: number }[];
  csat: { responses: number; average: number | null; distribution: Record<'1' | '2' | '3' | '4' | '5', number> };
  cost: { total_usd: number; per_conversation_usd: number | null };
  answer_time: { answers: number; p50_ms: number | null; p95_ms: number | null };
  daily: {
    day: string;
    conversations: number;
    handed_off: number;
    resolved: number;
    containment_rate: number | null;
    csat_responses: number;
    csat_average: number | null;
    cost_usd: number;
    answer_p50_ms: number | null;
    answer_p95_ms: number | null;
  }[];
  routes_by_day: { day: string; route: string; count: number }[];
  cost_by_day_model: { day: string; model: string; cost_usd: number }[];
}

const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)} %`);
const usd = (v: number | null, digits = 4) => (v === null ? '—' : `$${v.toFixed(digits)}`);
const secs = (ms: number | null) => (ms === null ? '—' : ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`);
const round = (v: number | null, digits: number) => (v === null ? '' : Number(v.toFixed(digits)));
const label = (s: string) => s.replace(/_/g, ' ');

/** Values of `key` per day, in the order of `days`, from rows keyed by day and a series name. */
function pivot<T extends { day: string }>(rows: T[], days: string[], series: (r: T) => string, value: (r: T) => number): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const r of rows) {
    const name = series(r);
    if (!out.has(name))
      out.set(
        name,
        days.map(() => 0),
      );
    const i = days.indexOf(r.day);
    if (i >= 0) out.get(name)![i]! += value(r);
  }
  return out;
}

/** The analytics as CSV: one row per day, routes and models as columns. */
function analyticsCsv(a: Analytics, routes: Map<string, number[]>, models: Map<string, number[]>): (string | number)[][] {
  const head = ['day', 'conversations', 'handed_off', 'resolved', 'containment_rate', 'csat_responses', 'csat_average', 'cost_usd', 'answer_p50_ms', 'answer_p95_ms'];
  const rows: (string | number)[][] = [[...head, ...[...routes.keys()].map((r) => `route_${r}`), ...[...models.keys()].map((m) => `cost_usd_${m}`)]];
  a.daily.forEach((d, i) => {
    rows.push([
      d.day,
      d.conversations,
      d.handed_off,
      d.resolved,
      round(d.containment_rate, 4),
      d.csat_responses,
      round(d.csat_average, 2),
      round(d.cost_usd, 6),
      round(d.answer_p50_ms, 0),
      round(d.answer_p95_ms, 0),
      ...[...routes.values()].map((v) => v[i]!),
      ...[...models.values()].map((v) => round(v[i]!, 6)),
    ]);
  });
  return rows;
}

const bar = (labels: string[], datasets: { label: string; data: number[] }[], stacked: boolean, axis?: 'y'): ChartConfiguration => ({
  type: 'bar',
  data: { labels, datasets: datasets.map((d, i) => ({ ...d, backgroundColor: PALETTE[i % PALETTE.length] })) },
  options: { indexAxis: axis ?? 'x', scales: { x: { stacked }, y: { stacked, beginAtZero: true } }, plugins: { legend: { display: datasets.length > 1 } } },
});

const line = (labels: string[], datasets: { label: string; data: (number | null)[] }[], y: { min?: number; max?: number } = {}): ChartConfiguration => ({
  type: 'line',
  data: { labels, datasets: datasets.map((d, i) => ({ ...d, borderColor: PALETTE[i % PALETTE.length], backgroundColor: PALETTE[i % PALETTE.length], spanGaps: true, tension: 0.2 })) },
  options: { scales: { y: { beginAtZero: true, ...y } } },
});

/** Analytics for staff: what the AI resolved, what reached a person and why, CSAT, cost and speed. */
export function AnalyticsPage(props: { api: ApiClient }) {
  const [range, setRange] = useState<Range>(() => lastDays(30));
  const [data, setData] = useState<Analytics | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    props.api
      .request<Analytics>(`/analytics?${new URLSearchParams({ from: range.from, to: range.to })}`)
      .then((a) => {
        if (!live) return;
        setData(a);
        setError(null);
      })
      .catch((err) => live && setError(err instanceof ApiError ? err.message : 'Could not load analytics'));
    return () => {
      live = false;
    };
  }, [props.api, range]);

  const charts = useMemo(() => {
    if (!data) return null;
    const days = data.daily.map((d) => d.day);
    const short = days.map((d) => d.slice(5));
    const routes = pivot(
      data.routes_by_day,
      days,
      (r) => r.route,
      (r) => r.count,
    );
    const models = pivot(
      data.cost_by_day_model,
      days,
      (r) => r.model,
      (r) => r.cost_usd,
    );
    const ratings = ['1', '2', '3', '4', '5'] as const;
    return {
      csv: analyticsCsv(data, routes, models),
      routes: {
        config: bar(
          short,
          [...routes].map(([route, values]) => ({ label: label(route), data: values })),
          true,
        ),
        table: { head: ['day', ...[...routes.keys()].map(label)], rows: days.map((d, i) => [d, ...[...routes.values()].map((v) => v[i]!)]) },
      },
      containment: {
        config: line(
          short,
          [
            { label: 'Containment', data: data.daily.map((d) => (d.containment_rate === null ? null : d.containment_rate * 100)) },
            { label: 'Handoff', data: data.daily.map((d) => (d.containment_rate === null ? null : 100 - d.containment_rate * 100)) },
          ],
          { max: 100 },
        ),
        table: { head: ['day', 'containment', 'handoff'], rows: data.daily.map((d) => [d.day, pct(d.containment_rate), d.containment_rate === null ? '—' : pct(1 - d.containment_rate)]) },
      },
      reasons: {
        config: bar(
          data.handoff_reasons.map((r) => label(r.reason)),
          [{ label: 'Handoffs', data: data.handoff_reasons.map((r) => r.count) }],
          false,
          'y',
        ),
        table: { head: ['reason', 'handoffs'], rows: data.handoff_reasons.map((r) => [label(r.reason), r.count]) },
      },
      csat: {
        config: bar(
          ratings.map((r) => `${r} ★`),
          [{ label: 'Ratings', data: ratings.map((r) => data.csat.distribution[r]) }],
          false,
        ),
        table: { head: ['rating', 'responses'], rows: ratings.map((r) => [r, data.csat.distribution[r]]) },
      },
      csatTrend: {
        config: line(short, [{ label: 'Average CSAT', data: data.daily.map((d) => d.csat_average) }], { min: 1, max: 5 }),
        table: { head: ['day', 'average', 'responses'], rows: data.daily.map((d) => [d.day, d.csat_average === null ? '—' : d.csat_average.toFixed(2), d.csat_responses]) },
      },
      cost: {
        config: bar(
          short,
          [...models].map(([model, values]) => ({ label: model, data: values })),
          true,
        ),
        table: { head: ['day', ...models.keys()], rows: days.map((d, i) => [d, ...[...models.values()].map((v) => usd(v[i]!, 6))]) },
      },
      speed: {
        config: line(short, [
          { label: 'p50', data: data.daily.map((d) => d.answer_p50_ms) },
          { label: 'p95', data: data.daily.map((d) => d.answer_p95_ms) },
        ]),
        table: { head: ['day', 'p50', 'p95'], rows: data.daily.map((d) => [d.day, secs(d.answer_p50_ms), secs(d.answer_p95_ms)]) },
      },
    };
  }, [data]);

  return (
    <section className="tickets insights" aria-labelledby="analytics-title">
      <header className="pane-header">
        <div>
          <h2 id="analytics-title">Analytics</h2>
          <p className="pane-sub">Conversations started in the range (UTC days); containment is the share that never reached a person.</p>
        </div>
        <div className="pane-actions">
          <DateRange value={range} onChange={setRange} />
          <button type="button" className="btn btn-secondary" disabled={!charts} onClick={() => charts && downloadCsv(`analytics-${range.from}-${range.to}.csv`, charts.csv)}>
            Export CSV
          </button>
        </div>
      </header>
      {error && (
        <p className="form-error pad" role="alert">
          {error}
        </p>
      )}
      {data && charts && (
        <div className="insights-body">
          <dl className="kpis" aria-label="Totals">
            <div>
              <dt>Conversations</dt>
              <dd data-testid="kpi-conversations">{data.conversations}</dd>
            </div>
            <div>
              <dt>Containment</dt>
              <dd data-testid="kpi-containment">{pct(data.containment_rate)}</dd>
            </div>
            <div>
              <dt>Handoff rate</dt>
              <dd data-testid="kpi-handoff">{pct(data.handoff_rate)}</dd>
            </div>
            <div>
              <dt>CSAT</dt>
              <dd data-testid="kpi-csat">{data.csat.average === null ? '—' : `${data.csat.average.toFixed(2)} (${data.csat.responses})`}</dd>
            </div>
            <div>
              <dt>Cost per conversation</dt>
              <dd data-testid="kpi-cost">{usd(data.cost.per_conversation_usd)}</dd>
            </div>
            <div>
              <dt>Answer time p50 / p95</dt>
              <dd data-testid="kpi-speed">
                {secs(data.answer_time.p50_ms)} / {secs(data.answer_time.p95_ms)}
              </dd>
            </div>
          </dl>
          <div className="charts">
            <Chart title="Conversations per day by route" testId="chart-routes" {...charts.routes} />
            <Chart title="Containment and handoff rate per day (%)" testId="chart-containment" {...charts.containment} />
            <Chart title="Handoff reasons" testId="chart-reasons" {...charts.reasons} />
            <Chart title="CSAT distribution" testId="chart-csat" {...charts.csat} />
            <Chart title="CSAT trend (average per day)" testId="chart-csat-trend" {...charts.csatTrend} />
            <Chart title="Cost per day by model (USD)" testId="chart-cost" {...charts.cost} />
            <Chart title="Answer time per day (ms)" testId="chart-speed" {...charts.speed} />
          </div>
        </div>
      )}
    </section>
  );
}
