// The embeddable widget loader, served as /widget.js. A company adds one tag to any page:
//   <script src="https://support.example.com/widget.js" data-switchboard-url="https://support.example.com" async></script>
// It adds a launcher button; the chat opens in an iframe (/embed) on the Switchboard origin, so the
// host page's styles and scripts never touch the chat, and its tokens stay on the Switchboard origin.
// Styles are set through the CSSOM and elements are built with DOM calls (no innerHTML, no <style>),
// so a strict Content-Security-Policy or Trusted Types on the host page does not stop it.
// Options (data-* on the script tag): data-switchboard-url, data-title, data-accent (#hex),
// data-position (right | left), data-open (true: open on load), data-locale (en | es | de; default: the
// browser's language). API: window.Switchboard.open() / close() / toggle().

interface SwitchboardWidget {
  open(): void;
  close(): void;
  toggle(): void;
  readonly isOpen: boolean;
}

declare global {
  interface Window {
    Switchboard?: SwitchboardWidget;
  }
}

const SVG = 'http://www.w3.org/2000/svg';

function findScript(): HTMLScriptElement | null {
  const current = document.currentScript;
  if (current instanceof HTMLScriptElement) return current;
  return document.querySelector<HTMLScriptElement>('script[data-switchboard-url]') ?? document.querySelector<HTMLScriptElement>('script[src*="widget.js"]');
}

function icon(paths: string[]): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('width', '26');
  svg.setAttribute('height', '26');
  svg.setAttribute('aria-hidden', 'true');
  for (const d of paths) {
    const p = document.createElementNS(SVG, 'path');
    p.setAttribute('d', d);
    p.setAttribute('fill', 'none');
    p.setAttribute('stroke', 'currentColor');
    p.setAttribute('stroke-width', '2');
    p.setAttribute('stroke-linecap', 'round');
    p.setAttribute('stroke-linejoin', 'round');
    svg.appendChild(p);
  }
  return svg;
}

/** The launcher's own words (the chat's are in web/src/lib/i18n.ts). */
const LAUNCHER: Record<string, { open: (title: string) => string; unread: (n: number) => string; close: string }> = {
  en: { open: (t) => `Open ${t} chat`, unread: (n) => `${n} new ${n === 1 ? 'reply' : 'replies'}`, close: 'Close support chat' },
  es: { open: (t) => `Abrir el chat de ${t}`, unread: (n) => `${n} ${n === 1 ? 'respuesta nueva' : 'respuestas nuevas'}`, close: 'Cerrar el chat de soporte' },
  de: { open: (t) => `${t}-Chat öffnen`, unread: (n) => `${n} ${n === 1 ? 'neue Antwort' : 'neue Antworten'}`, close: 'Support-Chat schließen' },
};

/** The first of data-locale and the browser's languages the widget speaks (en, es, de), else English. */
function localeOf(requested: string | undefined): string {
  for (const tag of [requested, ...(navigator.languages ?? [navigator.language])]) {
    const base = tag?.trim().toLowerCase().split(/[-_]/)[0];
    if (base && base in LAUNCHER) return base;
  }
  return 'en';
}

const CHAT_ICON = ['M21 12a8 8 0 0 1-11.6 7.1L4 20.5l1.4-4.9A8 8 0 1 1 21 12z'];
const CLOSE_ICON = ['M6 6l12 12', 'M18 6 6 18'];

// currentScript is set only while this file first runs, not when mount() runs later.
const SCRIPT = findScript();

function mount(): void {
  if (window.Switchboard) return; // loaded twice
  const script = SCRIPT;
  const data = script?.dataset ?? {};
  let base: URL;
  try {
    base = new URL(data.switchboardUrl || (script?.src ? new URL(script.src, location.href).origin : location.origin));
  } catch {
    console.error('[switchboard] data-switchboard-url is not a URL');
    return;
  }
  const origin = base.origin;
  const accent = data.accent && /^#[0-9a-fA-F]{3,8}$/.test(data.accent) ? data.accent : '#4f46e5';
  const side = data.position === 'left' ? 'left' : 'right';
  const title = data.title ?? 'Support';
  const locale = localeOf(data.locale);
  const words = LAUNCHER[locale]!;

  const root = document.createElement('div');
  root.setAttribute('data-switchboard-widget', '');
  Object.assign(root.style, { position: 'fixed', bottom: '20px', [side]: '20px', zIndex: '2147483000', fontFamily: 'system-ui, sans-serif' });

  const panel = document.createElement('div');
  panel.id = 'switchboard-panel';
  panel.setAttribute('role', 'dialog');
  panel.setAttribute('aria-label', `${title} chat`);
  Object.assign(panel.style, {
    position: 'absolute',
    bottom: '72px',
    [side]: '0',
    width: '380px',
    height: '620px',
    maxWidth: 'calc(100vw - 40px)',
    maxHeight: 'calc(100vh - 112px)',
    borderRadius: '16px',
    overflow: 'hidden',
    boxShadow: '0 12px 48px rgba(15, 23, 42, .28), 0 2px 8px rgba(15, 23, 42, .12)',
    background: '#fff',
    display: 'none',
    opacity: '0',
    transform: 'translateY(8px)',
    transition: 'opacity .16s ease, transform .16s ease',
  });

  const button = document.createElement('button');
  button.type = 'button';
  button.setAttribute('aria-expanded', 'false');
  button.setAttribute('aria-controls', panel.id);
  Object.assign(button.style, {
    width: '56px',
    height: '56px',
    borderRadius: '50%',
    border: 'none',
    background: accent,
    color: '#fff',
    cursor: 'pointer',
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'center',
    boxShadow: '0 6px 20px rgba(15, 23, 42, .25)',
    padding: '0',
  });
  // Replies that came while the panel was closed (the framed chat counts them).
  const badge = document.createElement('span');
  badge.setAttribute('aria-hidden', 'true');
  badge.setAttribute('data-switchboard-unread', '');
  Object.assign(badge.style, {
    position: 'absolute',
    top: '-4px',
    right: '-4px',
    minWidth: '22px',
    height: '22px',
    padding: '0 6px',
    boxSizing: 'border-box',
    borderRadius: '11px',
    border: '2px solid #fff',
    background: '#dc2626',
    color: '#fff',
    font: '700 12px/18px system-ui, sans-serif',
    textAlign: 'center',
    pointerEvents: 'none',
    display: 'none',
  });
  let unread = 0;
  const chatIcon = icon(CHAT_ICON);
  const closeIcon = icon(CLOSE_ICON);
  button.appendChild(chatIcon);

  let frame: HTMLIFrameElement | null = null;
  let isOpen = false;

  const small = window.matchMedia('(max-width: 480px)');
  const fit = () => {
    // Phones: the panel fills the screen above the launcher.
    Object.assign(panel.style, small.matches ? { width: 'calc(100vw - 24px)', height: 'calc(100vh - 100px)', [side]: '-8px' } : { width: '380px', height: '620px', [side]: '0' });
  };
  fit();
  small.addEventListener?.('change', fit);

  const openLabel = () => {
    const name = words.open(locale === 'en' && title.toLowerCase() === 'support' ? 'support' : title);
    return unread ? `${name}, ${words.unread(unread)}` : name;
  };
  button.setAttribute('aria-label', openLabel());
  const setUnread = (count: number) => {
    unread = isOpen ? 0 : count;
    badge.textContent = unread > 9 ? '9+' : String(unread);
    badge.style.display = unread ? 'block' : 'none';
    if (!isOpen) button.setAttribute('aria-label', openLabel());
  };
  // The framed chat learns whether it is shown: it focuses its message box and counts unread replies.
  const tellFrame = () => frame?.contentWindow?.postMessage({ type: 'switchboard:visibility', open: isOpen }, origin);

  const setOpen = (open: boolean) => {
    if (open === isOpen) return;
    isOpen = open;
    if (open && !frame) {
      frame = document.createElement('iframe');
      const q = new URLSearchParams({ title, accent, locale });
      frame.src = `${origin}/embed?${q}`;
      frame.title = `${title} chat`;
      frame.setAttribute('allow', 'clipboard-write');
      Object.assign(frame.style, { width: '100%', height: '100%', border: '0', display: 'block' });
      panel.appendChild(frame);
    }
    button.setAttribute('aria-expanded', String(open));
    if (open) setUnread(0);
    button.setAttribute('aria-label', open ? words.close : openLabel());
    button.replaceChildren(open ? closeIcon : chatIcon);
    tellFrame();
    if (open) {
      panel.style.display = 'block';
      requestAnimationFrame(() => Object.assign(panel.style, { opacity: '1', transform: 'translateY(0)' }));
      frame?.focus();
    } else {
      Object.assign(panel.style, { opacity: '0', transform: 'translateY(8px)' });
      setTimeout(() => {
        if (!isOpen) panel.style.display = 'none';
      }, 170);
      button.focus();
    }
  };

  // The visitor's conversation, kept in this page's own (first-party) storage for a framed chat whose
  // storage the browser blocks or wipes; handed only to the frame on the service's origin.
  const storeKey = `switchboard.widget.visitor:${origin}`;
  const readVisitor = (): unknown => {
    try {
      const raw = window.localStorage.getItem(storeKey);
      return raw ? JSON.parse(raw) : null;
    } catch {
      return null;
    }
  };
  const keepVisitor = (visitor: unknown) => {
    try {
      const v = visitor as { conversation_id?: unknown; token?: unknown } | null;
      if (v && typeof v.conversation_id === 'string' && typeof v.token === 'string') {
        window.localStorage.setItem(storeKey, JSON.stringify({ conversation_id: v.conversation_id, token: v.token }));
      } else {
        window.localStorage.removeItem(storeKey);
      }
    } catch {
      // this page has no storage either: the conversation lasts as long as the page
    }
  };

  button.addEventListener('click', () => setOpen(!isOpen));
  window.addEventListener('message', (e) => {
    if (e.origin !== origin || !frame || e.source !== frame.contentWindow) return;
    const msg = e.data as { type?: unknown; count?: unknown; visitor?: unknown } | null;
    if (msg?.type === 'switchboard:close') setOpen(false);
    else if (msg?.type === 'switchboard:ready') {
      tellFrame();
      frame.contentWindow?.postMessage({ type: 'switchboard:restore', visitor: readVisitor() }, origin);
    } else if (msg?.type === 'switchboard:store') keepVisitor(msg.visitor);
    else if (msg?.type === 'switchboard:unread' && typeof msg.count === 'number') setUnread(Math.max(0, Math.floor(msg.count)));
  });
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && isOpen) setOpen(false);
  });

  root.append(panel, button, badge);
  (document.body ?? document.documentElement).appendChild(root);
  window.Switchboard = {
    open: () => setOpen(true),
    close: () => setOpen(false),
    toggle: () => setOpen(!isOpen),
    get isOpen() {
      return isOpen;
    },
  };
  if (data.open === 'true') setOpen(true);
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', mount, { once: true });
else mount();

export {};
