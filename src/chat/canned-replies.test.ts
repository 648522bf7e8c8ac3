import { describe, expect, it } from 'vitest';
import { fillTemplate, unknownPlaceholders } from './canned-replies.js';

describe('canned reply templates', () => {
  it('fills every known placeholder, with or without spaces inside the braces', () => {
    const { text, missing } = fillTemplate('Hi {{customer.first_name}} ({{ customer.name }}), {{agent.name}} here about {{ticket.number}}.', {
      'customer.first_name': 'Alice',
      'customer.name': 'Alice Martin',
      'agent.name': 'Sam Agent',
      'ticket.number': 'TCK-000042',
    });
    expect(text).toBe('Hi Alice (Alice Martin), Sam Agent here about TCK-000042.');
    expect(missing).toEqual([]);
  });

  it('uses a neutral fallback for what the conversation does not know and reports it missing', () => {
    const { text, missing } = fillTemplate('Hi {{customer.first_name}}, your ticket is {{ticket.number}}.', { 'customer.first_name': null, 'ticket.number': '  ' });
    expect(text).toBe('Hi there, your ticket is .');
    expect(missing).toEqual(['customer.first_name', 'ticket.number']);
  });

  it('leaves text that is not a known placeholder alone, and names unknown ones for validation', () => {
    expect(fillTemplate('{{customer.age}} and {single} and {{ }}', {}).text).toBe('{{customer.age}} and {single} and {{ }}');
    expect(unknownPlaceholders('Hi {{customer.name}} {{customer.nme}} {{customer.nme}} {{order.total}}')).toEqual(['customer.nme', 'order.total']);
    expect(unknownPlaceholders('Hi {{customer.name}}')).toEqual([]);
  });

  it('does not treat a filled value as a template (a customer named "{{agent.name}}" stays literal)', () => {
    expect(fillTemplate('Hi {{customer.name}}', { 'customer.name': '{{agent.name}}', 'agent.name': 'Sam' }).text).toBe('Hi {{agent.name}}');
  });
});
