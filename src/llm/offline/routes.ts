/** The routes the offline intent classifier can choose between; the router maps each to an agent. */
export const ROUTES = ['faq', 'account', 'escalation', 'smalltalk', 'out_of_scope'] as const;

export type Route = (typeof ROUTES)[number];
