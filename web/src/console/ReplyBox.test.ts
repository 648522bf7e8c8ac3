import { describe, expect, it } from 'vitest';
import type { FilledReply } from './desk-types';
import { matchReplies, slashQueryAt } from './ReplyBox';

const reply = (shortcut: string, title: string): FilledReply => ({
  id: shortcut,
  shortcut,
  title,
  body: '',
  text: '',
  missing: [],
  created_by: null,
  created_at: '',
  updated_at: '',
});

describe('the reply box\'s "/" picker', () => {
  it('opens on a "/word" at the start or after a space, up to the caret', () => {
    expect(slashQueryAt('/gre', 4)).toEqual({ start: 0, query: 'gre' });
    expect(slashQueryAt('Thanks! /Ref', 12)).toEqual({ start: 8, query: 'ref' });
    expect(slashQueryAt('/', 1)).toEqual({ start: 0, query: '' });
    expect(slashQueryAt('/greeting and more', 4)).toEqual({ start: 0, query: 'gre' });
  });

  it('stays closed inside words, URLs and after a space following the word', () => {
    expect(slashQueryAt('and/or', 6)).toBeNull();
    expect(slashQueryAt('see https://example.com/help', 28)).toBeNull();
    expect(slashQueryAt('/gre ', 5)).toBeNull();
    expect(slashQueryAt('no slash', 8)).toBeNull();
  });

  it('lists shortcuts that start with the word first, then those that contain it or whose title does', () => {
    const replies = [reply('closing', 'Closing'), reply('refund-started', 'Refund started'), reply('ticket', 'Ticket reference'), reply('re-open', 'Reopen')];
    expect(matchReplies(replies, 're').map((r) => r.shortcut)).toEqual(['refund-started', 're-open', 'ticket']);
    expect(matchReplies(replies, 'start').map((r) => r.shortcut)).toEqual(['refund-started']);
    expect(matchReplies(replies, '')).toHaveLength(4);
    expect(matchReplies(replies, 'zzz')).toEqual([]);
  });
});
