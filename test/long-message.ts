/**
 * A long customer message (over 2,000 characters) with one help-center question in the middle of
 * its background: the kind of message that used to go unsearched (the search's 500-character limit).
 */
export function longMessageAround(question: string): string {
  const before = [
    'Hi there, I hope you are having a good week.',
    'I have been a customer of yours for a long while and my team has always been happy with the headsets and the desk phones we bought from you over the years.',
    'Last month we opened a new office in a different building, and the whole team moved there, so there was a lot going on, and I am writing this message on behalf of my manager, who asked me to find out a few things before we place our next order.',
    'She is travelling this week and cannot write herself, which is why you are hearing from me instead of her.',
    'We are a small company of about forty people and most of us spend the whole day on calls with our own customers, so the equipment matters a great deal to us.',
    'Our previous supplier let us down more than once and we would rather not repeat that experience with the new office.',
  ];
  const after = [
    'We have a budget meeting on Friday afternoon and my manager would like to present the plan to the finance team there, together with a rough timeline for the move of the remaining equipment.',
    'I know this is a lot of text for a simple thing, sorry about that, but I wanted you to have the whole picture of where we are and why we are asking.',
    'The office manager in the new building has also asked me whether someone needs to be there to receive the boxes, but I think we can sort that out on our side.',
    'Thank you very much in advance for your help, and have a nice day.',
    'Kind regards from the whole team, and from my manager as well, who sends her best wishes.',
  ];
  let text = [...before, question, ...after].join(' ');
  // Pad with more background until the message is over 2,000 characters.
  while (text.length < 2000) text = `${text} We are also still unpacking the boxes from the move, which takes longer than any of us expected.`;
  return text;
}
