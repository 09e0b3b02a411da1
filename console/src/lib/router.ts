import { useEffect, useState, type MouseEvent } from 'react';

/** A tiny History-API router under /console (the backend answers every deep link with index.html). */
export const BASE = '/console';

export const PAGES = [
  { path: '/', name: 'Dashboard' },
  { path: '/funds', name: 'Funds' },
  { path: '/loans', name: 'Loans' },
  { path: '/trading', name: 'Trading' },
  { path: '/vault', name: 'Vault' },
  { path: '/audit', name: 'Audit' },
] as const;

export function currentPath(): string {
  const p = window.location.pathname.startsWith(BASE) ? window.location.pathname.slice(BASE.length) : '/';
  return p.replace(/\/+$/, '') || '/';
}

export function navigate(path: string): void {
  window.history.pushState(null, '', BASE + (path === '/' ? '/' : path));
  window.dispatchEvent(new PopStateEvent('popstate'));
}

export function usePath(): string {
  const [path, setPath] = useState(currentPath);
  useEffect(() => {
    const update = () => setPath(currentPath());
    window.addEventListener('popstate', update);
    return () => window.removeEventListener('popstate', update);
  }, []);
  return path;
}

/** Plain links with a real href (open in a new tab works); a normal click stays in the app. */
export function linkClick(path: string) {
  return (e: MouseEvent<HTMLAnchorElement>) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(path);
  };
}
