import type { Registry } from 'prom-client';

// Tests read the metrics from the registry /metrics renders, through prom-client's own JSON view.

/** One series of a metric as a scrape shows it: histogram series by their _bucket/_sum/_count names, label values as text. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Every series the registry holds now. */
export async function samplesOf(registry: Registry): Promise<Sample[]> {
  return (await registry.getMetricsAsJSON()).flatMap((metric) =>
    metric.values.map((v) => ({
      name: (v as { metricName?: string }).metricName ?? metric.name,
      labels: Object.fromEntries(Object.entries(v.labels).map(([k, l]) => [k, String(l)])),
      value: v.value,
    })),
  );
}

/** Sums the series of a name whose labels include the given ones. */
export function sumOf(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  return samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)).reduce((a, s) => a + s.value, 0);
}
