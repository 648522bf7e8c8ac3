import { describe, expect, it } from 'vitest';
import { createMetrics } from './metrics.js';

// The metrics issue 7 names, with their labels.
const REQUIRED_METRICS: Record<string, string[]> = {
  http_requests_total: ['method', 'endpoint', 'status'],
  http_request_duration_seconds: ['method', 'endpoint'],
  agent_requests_total: ['agent_type', 'status'],
  agent_processing_duration_seconds: ['agent_type'],
  agent_tool_calls_total: ['agent_type', 'tool_name', 'status'],
  llm_requests_total: ['model', 'status'],
  llm_tokens_total: ['model', 'type'],
  llm_request_duration_seconds: ['model'],
  vector_search_duration_seconds: [],
  active_conversations: [],
  llm_cost_usd_total: ['model', 'agent_type'],
  conversations_total: ['outcome'],
  handoffs_total: ['reason'],
  router_fallbacks_total: ['reason'],
  llm_time_to_first_token_seconds: ['model'],
  csat_rating: [],
  queue_depth: ['queue', 'state'],
};

describe('metrics registry', () => {
  it('registers every metric of the issue with its labels, on a registry of its own', async () => {
    const m = createMetrics({ defaultMetrics: false });
    for (const [name, labels] of Object.entries(REQUIRED_METRICS)) {
      const metric = m.registry.getSingleMetric(name);
      expect(metric, name).toBeDefined();
      const declared = (metric as unknown as { labelNames: string[] }).labelNames;
      expect([...declared].sort(), name).toEqual([...labels].sort());
    }
    // A second registry does not share values with the first.
    const other = createMetrics({ defaultMetrics: false });
    m.httpRequests.inc({ method: 'GET', endpoint: '/x', status: '200' });
    expect(await other.registry.getSingleMetricAsString('http_requests_total')).not.toContain('endpoint="/x"');
  });

  it('includes the process default metrics', async () => {
    const text = await createMetrics().render();
    expect(text).toMatch(/^process_cpu_user_seconds_total /m);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds /m);
  });

  it('reads scrape-time gauges from their sources and reports a failing probe as 0', async () => {
    const m = createMetrics({ defaultMetrics: false });
    m.bindSources({
      activeConversations: async () => 7,
      queueDepths: async () => [{ queue: 'knowledge-ingestion', state: 'waiting', count: 3 }],
      readiness: { database: async () => {}, redis: async () => Promise.reject(new Error('down')) },
    });
    const text = await m.render();
    expect(text).toMatch(/^active_conversations 7$/m);
    expect(text).toMatch(/^queue_depth\{queue="knowledge-ingestion",state="waiting"\} 3$/m);
    expect(text).toMatch(/^dependency_up\{dependency="database"\} 1$/m);
    expect(text).toMatch(/^dependency_up\{dependency="redis"\} 0$/m);
  });

  it('puts the alert thresholds on bucket boundaries (HTTP 0.5 s, agent 5 s)', async () => {
    const m = createMetrics({ defaultMetrics: false });
    m.httpDuration.observe({ method: 'GET', endpoint: '/x' }, 0.2);
    m.agentDuration.observe({ agent_type: 'faq' }, 1);
    const text = await m.render();
    expect(text).toContain('http_request_duration_seconds_bucket{le="0.5",method="GET",endpoint="/x"} 1');
    expect(text).toContain('agent_processing_duration_seconds_bucket{le="5",agent_type="faq"} 1');
  });
});
