import { describe, expect, it } from 'vitest';
import { stackFaqFromThreads } from './stackfaq.js';

describe('StackFAQ as foreign articles', () => {
  const threads = [
    {
      question: 'How do I delete my Facebook account? [closed]',
      answer: ['Go to Settings, then Deactivate.', 'Deletion takes 14 days.'],
      rephr: ['How can I remove my FB account?', '*', null, 'how do i delete my facebook account?', 'Go to Settings, then Deactivate', 'How can I remove my FB account?'],
    },
    { question: 'Strikethrough in Gmail', answer: 'There is no button; paste formatted text.', rephr: 'Can gmail cross out text?' },
  ];
  const { articles, questions } = stackFaqFromThreads(threads);

  it('makes one article per thread: its question as the title, its answers as the content', () => {
    expect(articles).toEqual([
      { slug: 'stackfaq-001', title: 'How do I delete my Facebook account?', category: 'web-apps', content: 'Go to Settings, then Deactivate.\n\nDeletion takes 14 days.' },
      { slug: 'stackfaq-002', title: 'Strikethrough in Gmail', category: 'web-apps', content: 'There is no button; paste formatted text.' },
    ]);
  });

  it('asks the paraphrases, leaving out placeholders, repeats of the title, text copied from the article and duplicates', () => {
    expect(questions).toEqual([
      { question: 'How can I remove my FB account?', slug: 'stackfaq-001' },
      { question: 'Can gmail cross out text?', slug: 'stackfaq-002' },
    ]);
  });
});
