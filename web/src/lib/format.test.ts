import { describe, expect, it } from 'vitest';
import { bodyText, doneLines, formatAge, liveAnswer, sourcesOf, splitMarkers, toolSummary } from './format';

describe('message formatting', () => {
  it('drops the plain-text Sources list only when the sources are shown as citations', () => {
    const text = 'Ships in 3 days. [1]\n\nSources:\n[1] Shipping times';
    expect(bodyText(text, true)).toBe('Ships in 3 days. [1]');
    expect(bodyText(text, false)).toBe(text);
  });

  it('numbers a streaming answer as the stored one will be: markers by first use, sources by document', () => {
    const passages = [
      { ref: 1, title: 'Returns', slug: 'returns' },
      { ref: 2, title: 'Shipping', slug: 'shipping' },
      { ref: 3, title: 'Returns', slug: 'returns' },
    ];
    // The model cites [2] first: the check stores it as [1], and passages 1 and 3 share one article.
    const live = liveAnswer('Ships in 3 days [2]. Returns within 30 days [1][3], [2, 1]. More [', passages);
    expect(live.text).toBe('Ships in 3 days [1]. Returns within 30 days [2][3], [1][2]. More ');
    expect(live.sources.sources.map((s) => s.title)).toEqual(['Shipping', 'Returns']);
    expect([1, 2, 3].map((n) => live.sources.numberOf(n))).toEqual([1, 2, 2]);
    // Before the search's passages are known, markers keep their order-of-use numbers and link nowhere.
    expect(liveAnswer('A [4] B [2]').text).toBe('A [1] B [2]');
    expect(liveAnswer('A [4] B [2]').sources.numberOf(1)).toBeNull();
  });

  it('splits citation markers out of the text', () => {
    expect(splitMarkers('A [1] and B [2].')).toEqual(['A ', { marker: 1 }, ' and B ', { marker: 2 }, '.']);
  });

  it('lists one source per document and points every passage marker at its document', () => {
    const m = {
      citations: [{ title: 'Returns', slug: 'returns', snippet: 'a' }, { title: 'Returns', slug: 'returns', snippet: 'b' }, null, { title: 'Shipping', slug: 'shipping', snippet: 'c' }],
    };
    const { sources, numberOf } = sourcesOf(m);
    expect(sources.map((s) => s.title)).toEqual(['Returns', 'Shipping']);
    expect([1, 2, 3, 4, 5].map(numberOf)).toEqual([1, 1, null, 2, null]);
  });

  it("shows customers the message's actions and staff its tool calls", () => {
    const m = {
      actions: [{ type: 'opened_ticket' as const, label: 'Opened ticket TCK-200123', status: 'ok' as const, ticket_number: 'TCK-200123' }],
      tool_calls: [
        { name: 'create_ticket', arguments: { summary: 'staff only' }, status: 'ok' as const, duration_ms: 3 },
        { name: 'llm_fallback', arguments: {}, status: 'error' as const, duration_ms: 0 },
      ],
    };
    expect(doneLines(m, 'customer').map((l) => l.label)).toEqual(['Opened ticket TCK-200123']);
    expect(doneLines(m, 'staff').map((l) => l.label)).toEqual(['Opened a support ticket', 'Answered by the offline engine']);
    expect(doneLines({ actions: [] }, 'staff')).toEqual([]);
  });

  it('summarises tool calls for staff', () => {
    expect(toolSummary('list_invoices', 'ok')).toBe('Looked up your invoices');
    expect(toolSummary('search_knowledge', 'started')).toBe('Searching the help center…');
    expect(toolSummary('get_order', 'not_found')).toBe('Looked up the order (nothing found)');
    expect(toolSummary('brand_new_tool', 'ok')).toBe('Ran brand new tool');
  });

  it('says how long someone has waited', () => {
    expect(formatAge(10)).toBe('just now');
    expect(formatAge(5 * 60)).toBe('5 min');
    expect(formatAge(2 * 3600 + 5 * 60)).toBe('2 h 5 min');
    expect(formatAge(3 * 86400)).toBe('3 d');
  });
});
