import { describe, expect, it } from 'vitest';
import { snippetText } from './markdown';

describe('snippetText', () => {
  it('reads a cut markdown passage as text: table rows, emphasis, lists and code without their syntax', () => {
    const passage = '## Delivery times\n\n| Destination | Standard | Express |\n|---|---|---|\n| Contiguous **United States** | 3–5 business days | 1–2 business da';
    expect(snippetText(passage)).toBe('Delivery times\nDestination · Standard · Express\nContiguous United States · 3–5 business days · 1–2 business da');
    expect(snippetText('1. Open **Settings**\n2. Click `Export` and see [the guide](https://example.com)\n\n```\nnpm start\n```')).toBe('• Open Settings\n• Click Export and see the guide\nnpm start');
  });

  it('keeps what looks like HTML as text (React renders it, nothing is parsed)', () => {
    expect(snippetText('Use <b>bold</b> & more')).toBe('Use <b>bold</b> & more');
  });
});
