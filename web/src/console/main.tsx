import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ConsoleApp } from './ConsoleApp';
import '../styles/base.css';
import '../styles/console.css';
import '../styles/workspace.css';
import '../styles/theme.css';
import { applyInitialTheme } from '../lib/theme';

applyInitialTheme();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ConsoleApp />
  </StrictMode>,
);
