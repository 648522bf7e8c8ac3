/** The routes a specialist agent answers (AGENTS in src/agents/llm.ts has one agent for each). */
const AGENT_ROUTES = ['faq', 'account', 'escalation'] as const;

/** The routes the offline intent classifier can choose between: the agents' and the two the router answers itself. */
export const ROUTES = [...AGENT_ROUTES, 'smalltalk', 'out_of_scope'] as const;

export type Route = (typeof ROUTES)[number];
export type AgentRoute = (typeof AGENT_ROUTES)[number];

/** Whether a route is answered by a specialist agent (not by the router itself). */
export function isAgentRoute(route: Route): route is AgentRoute {
  return (AGENT_ROUTES as readonly Route[]).includes(route);
}
