import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ChatApp, type ChatOptions } from './ChatApp';
import '../styles/base.css';
import '../styles/chat.css';
import '../styles/theme.css';
import { applyInitialTheme } from '../lib/theme';
import { I18nProvider, i18nFor, pickLocale } from '../lib/i18n';

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

// The UI's language: ?locale= (the widget passes its data-locale), else the browser's languages.
const i18n = i18nFor(pickLocale(new URLSearchParams(location.search).get('locale'), navigator.languages ?? [navigator.language]));
document.documentElement.lang = i18n.locale;

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <I18nProvider value={i18n}>
      <ChatApp options={opts} />
    </I18nProvider>
  </StrictMode>,
);
