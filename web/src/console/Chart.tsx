import { BarController, BarElement, CategoryScale, Chart as ChartJs, type ChartConfiguration, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';
import { useEffect, useRef } from 'react';

ChartJs.register(BarController, BarElement, CategoryScale, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip);

/** Series colours that hold on light and dark backgrounds. */
export const PALETTE = ['#6366f1', '#10b981', '#f59e0b', '#ef4444', '#0ea5e9', '#a855f7', '#64748b', '#ec4899'];

/** One data table row a chart also shows as text (for screen readers and the tests). */
export type ChartTable = { head: string[]; rows: (string | number)[][] };

/**
 * A chart.js chart in a figure with its title, and the same numbers as a table that screen readers
 * read (the canvas itself is an image to them).
 */
export function Chart(props: { title: string; config: ChartConfiguration; table: ChartTable; testId?: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const chart = useRef<ChartJs | null>(null);

  useEffect(() => {
    if (!canvas.current) return;
    const text = getComputedStyle(canvas.current).color;
    const options = { ...props.config.options, animation: false as const, responsive: true, maintainAspectRatio: false, color: text };
    if (chart.current) {
      chart.current.data = props.config.data;
      chart.current.options = options;
      chart.current.update();
    } else chart.current = new ChartJs(canvas.current, { ...props.config, options });
  }, [props.config]);

  useEffect(
    () => () => {
      chart.current?.destroy();
      chart.current = null;
    },
    [],
  );

  return (
    <figure className="chart" data-testid={props.testId}>
      <figcaption>{props.title}</figcaption>
      <div className="chart-canvas">
        <canvas ref={canvas} role="img" aria-label={props.title} />
      </div>
      <table className="visually-hidden">
        <caption>{props.title}</caption>
        <thead>
          <tr>
            {props.table.head.map((h) => (
              <th key={h} scope="col">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.table.rows.map((r) => (
            <tr key={String(r[0])}>
              {r.map((v, i) => (
                <td key={props.table.head[i]}>{v}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
