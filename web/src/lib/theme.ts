// Light or dark: the visitor's choice (kept in localStorage), else the system's prefers-color-scheme.
// The page's <html data-theme> says which is shown; the stylesheets (styles/theme.css) read it.
import { useEffect, useState } from 'react';
import { readJson, writeJson } from './storage';

type Theme = 'light' | 'dark';
const KEY = 'switchboard.theme';
const query = () => window.matchMedia('(prefers-color-scheme: dark)');

/** The stored choice, or null to follow the system. */
function storedChoice(): Theme | null {
  const v = readJson<string>(KEY);
  return v === 'light' || v === 'dark' ? v : null;
}

function shown(): Theme {
  return storedChoice() ?? (query().matches ? 'dark' : 'light');
}

function apply(theme: Theme): void {
  document.documentElement.dataset.theme = theme;
  document.documentElement.style.colorScheme = theme;
}

/** Sets the page's theme before the first render (no flash of the other one). */
export function applyInitialTheme(): void {
  apply(shown());
}

/** The theme shown and a toggle that stores the other one as the visitor's choice; follows the system until then. */
export function useTheme(): { theme: Theme; toggle: () => void } {
  const [theme, setTheme] = useState<Theme>(shown);
  useEffect(() => {
    const q = query();
    const follow = () => {
      if (storedChoice() === null) setTheme(q.matches ? 'dark' : 'light');
    };
    q.addEventListener('change', follow);
    return () => q.removeEventListener('change', follow);
  }, []);
  useEffect(() => apply(theme), [theme]);
  return {
    theme,
    toggle: () => {
      const next: Theme = theme === 'dark' ? 'light' : 'dark';
      writeJson(KEY, next);
      setTheme(next);
    },
  };
}
