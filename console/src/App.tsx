import { lazy, Suspense, useEffect, useState } from 'react';
import { onSessionEnded, signOut, type User } from './api/client';
import { BASE, linkClick, PAGES, usePath } from './lib/router';
import { SignIn } from './pages/SignIn';
import { Dashboard } from './pages/Dashboard';

// Pages past the first screen load on demand: the first load stays small.
const Funds = lazy(() => import('./pages/Funds'));
const Loans = lazy(() => import('./pages/Loans'));
const Trading = lazy(() => import('./pages/Trading'));
const Vault = lazy(() => import('./pages/Vault'));
const Audit = lazy(() => import('./pages/Audit'));

function Page({ path, user }: { path: string; user: User }) {
  switch (path) {
    case '/':
      return <Dashboard user={user} />;
    case '/funds':
      return <Funds />;
    case '/loans':
      return <Loans user={user} />;
    case '/trading':
      return <Trading user={user} />;
    case '/vault':
      return <Vault user={user} />;
    case '/audit':
      return <Audit user={user} />;
    default:
      return (
        <section className="card">
          <h1>Page not found</h1>
          <p>
            Nothing lives at {BASE + path}.{' '}
            <a href={`${BASE}/`} onClick={linkClick('/')}>
              Go to the Dashboard
            </a>
          </p>
        </section>
      );
  }
}

export function App() {
  const path = usePath();
  const [user, setUser] = useState<User | null>(null);
  const [reason, setReason] = useState<string>();
  // An expired session keeps the page mounted under the sign-in form: what was typed survives.
  const [expired, setExpired] = useState(false);

  useEffect(
    () =>
      onSessionEnded((why) => {
        setReason(why);
        setExpired(true);
      }),
    [],
  );

  useEffect(() => {
    const page = PAGES.find((p) => p.path === path);
    document.title = `${page?.name ?? 'Console'} · Fintech Ops Console`;
  }, [path]);

  const signedIn = (u: User) => {
    setReason(undefined);
    setExpired(false);
    setUser((before) => (before && before.id === u.id ? before : u));
  };
  if (!user) return <SignIn reason={reason} onSignedIn={signedIn} />;

  return (
    <div className="app" key={user.id}>
      {expired && <SignIn reason={reason} onSignedIn={signedIn} overlay />}
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <span className="brand">Fintech Ops</span>
        <nav aria-label="Main">
          <ul>
            {PAGES.map((p) => (
              <li key={p.path}>
                <a
                  href={BASE + (p.path === '/' ? '/' : p.path)}
                  onClick={linkClick(p.path)}
                  aria-current={p.path === path ? 'page' : undefined}
                >
                  {p.name}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div className="who">
          <span>
            {user.username ?? user.email}
            {user.role === 'admin' && <span className="badge badge-admin">admin</span>}
          </span>
          <button
            type="button"
            onClick={() => {
              void signOut().then(() => {
                setReason('You have signed out.');
                setUser(null);
              });
            }}
          >
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1} inert={expired}>
        <Suspense fallback={<p className="muted">Loading…</p>}>
          <Page path={path} user={user} />
        </Suspense>
      </main>
    </div>
  );
}
