import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ChatApp, type ChatOptions } from './ChatApp';
import '../styles/base.css';
import '../styles/chat.css';
import '../styles/theme.css';
import { applyInitialTheme } from '../lib/theme';

function options(): ChatOptions {
  const q = new URLSearchParams(location.search);
  const title = (q.get('title') ?? '').trim().slice(0, 60);
  return { embed: location.pathname.replace(/\/+$/, '') === '/embed', title: title || 'Support' };
}

const opts = options();
document.documentElement.classList.toggle('embedded', opts.embed);
const accent = new URLSearchParams(location.search).get('accent');
if (accent && /^#[0-9a-fA-F]{3,8}$/.test(accent)) document.documentElement.style.setProperty('--accent', accent);

applyInitialTheme();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ChatApp options={opts} />
  </StrictMode>,
);
