import '../styles/insights.css';
import type { ApiClient } from '../lib/api';
import { AnalyticsPage } from './AnalyticsPage';
import { KnowledgeAdmin } from './KnowledgeAdmin';
import { UsagePage } from './UsagePage';

/** The console pages a team lead and an administrator use besides the desk. */
export type WorkspaceViewId = 'kb' | 'analytics' | 'usage';

/** Their navigation entries; `admin` ones are shown to administrators only. */
export const WORKSPACE_VIEWS: { id: WorkspaceViewId; label: string; admin: boolean }[] = [
  { id: 'analytics', label: 'Analytics', admin: false },
  { id: 'kb', label: 'Knowledge base', admin: true },
  { id: 'usage', label: 'Usage', admin: true },
];

/** One of those pages. */
export function WorkspaceView(props: { id: WorkspaceViewId; api: ApiClient }) {
  switch (props.id) {
    case 'kb':
      return <KnowledgeAdmin api={props.api} />;
    case 'analytics':
      return <AnalyticsPage api={props.api} />;
    case 'usage':
      return <UsagePage api={props.api} />;
  }
}
